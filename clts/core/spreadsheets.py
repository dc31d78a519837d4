"""Cells written to CSV and XLSX files: a value that a spreadsheet would run as a formula is written as text.

OWASP "CSV injection": a cell beginning with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice
as a formula (=HYPERLINK(...) can send data out; -2+3 computes). Prefixing such a text value with an apostrophe
makes every spreadsheet show it as the text it is. Numbers, dates and booleans are written as they are: a negative
number stays a number.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write into a cell: text that a spreadsheet would treat as a formula is made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    return [safe_cell(value) for value in values]
