"""Cells written to CSV and XLSX files: a value that a spreadsheet would run as a formula is written as text.

OWASP "CSV injection": a cell beginning with =, +, -, @, a tab or a carriage return is read by Excel and LibreOffice
as a formula (=HYPERLINK(...) can send data out; -2+3 computes). Prefixing such a text value with an apostrophe
makes every spreadsheet show it as the text it is. Numbers, dates and booleans are written as they are: a negative
number stays a number.
"""

from typing import Any

from import_export import resources

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value to write into a cell: text that a spreadsheet would treat as a formula is made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values) -> list[Any]:
    return [safe_cell(value) for value in values]


class SafeExportMixin:
    """For django-import-export resources: every exported cell goes through `safe_cell`, in every format (CSV,
    XLSX, ...) and from every place that exports (the admin's export view and action, the bulk-import workflow)."""

    def export_field(self, field, instance, **kwargs):
        return safe_cell(super().export_field(field, instance, **kwargs))


class SafeModelResource(SafeExportMixin, resources.ModelResource):
    """The base of every import-export resource (personal data: clts.accounts.access.ScopedModelResource)."""
