"""Reading a register: CSV or XLSX bytes to a header row and data rows of text, each with its line number.

Cells are read as text exactly as written (a formula stays "=..." so that it is reported, never run); Excel
dates and numbers are kept as the values Excel stored (a date cell is a `datetime`, a number an int or float)
for the normaliser. The header is the first row with at least two filled cells: registers often open with a
title line ("Register of rescued children, Gaya, 2014-2019").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from clts.core.uploads import CSV, XLSX

# A header is found within the first rows, or the file is not a register.
HEADER_SEARCH_ROWS = 20


@dataclass
class Sheet:
    headers: list[str]
    header_line: int
    rows: list[tuple[int, list[Any]]]  # (line number in the file, cells)


def _text_of(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    return content.decode("utf-8-sig")


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    text = _text_of(content)
    sample = text[:20000]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    # read_only streams the sheet; data_only=False keeps formulas as their text, to be reported.
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _filled(cells: list[Any]) -> int:
    return sum(1 for cell in cells if cell not in (None, "") and str(cell).strip())


def read_sheet(content: bytes, file_format: str) -> Sheet:
    """The header and the non-empty rows of the file's first sheet; ValidationError when no header is found."""
    rows = _xlsx_rows(content) if file_format == XLSX else _csv_rows(content)
    if file_format not in (CSV, XLSX):
        raise ValueError(file_format)
    headers: list[str] | None = None
    header_line = 0
    data: list[tuple[int, list[Any]]] = []
    for line, cells in enumerate(rows, start=1):
        if headers is None:
            if _filled(cells) >= 2:
                headers = [str(cell).strip() if cell is not None else "" for cell in cells]
                header_line = line
            elif line >= HEADER_SEARCH_ROWS:
                break
            continue
        if _filled(cells):
            data.append((line, cells))
    if headers is None:
        raise ValidationError(_("No row of column headers was found in the first 20 rows of the file."))
    while headers and not headers[-1]:
        headers.pop()
    return Sheet(headers=headers, header_line=header_line, rows=data)
