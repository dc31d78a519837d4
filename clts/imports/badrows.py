"""The invalid rows of a register as an XLSX file: the file's own columns as uploaded, and an error column, so the
admin can correct only those rows and upload them again. Every cell is written through `safe_row`: a cell that a
spreadsheet would run as a formula (the very reason some rows are invalid) arrives as text."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.utils.translation import gettext as _
from openpyxl import Workbook

from clts.core.spreadsheets import safe_row
from clts.imports import reading
from clts.imports.models import ImportJob


def _cell(value):
    if isinstance(value, datetime | date):
        return value.strftime("%d-%m-%Y")
    return value


def bad_rows_xlsx(job: ImportJob, content: bytes) -> bytes:
    sheet = reading.read_sheet(content, job.file_format)
    by_line: dict[int, list[str]] = {}
    for error in job.errors:
        by_line.setdefault(error["line"], []).append(f"{error['column']}: {error['message']}")
    workbook = Workbook(write_only=True)
    out = workbook.create_sheet(_("Rows to correct"))
    out.append(safe_row([_("Line"), *sheet.headers, _("Errors")]))
    for line, cells in sheet.rows:
        if line in by_line:
            cells = list(cells) + [None] * (len(sheet.headers) - len(cells))
            out.append(
                safe_row([line, *(_cell(cell) for cell in cells[: len(sheet.headers)]), "; ".join(by_line[line])])
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
