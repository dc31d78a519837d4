"""The cross-tabulation: rows and columns chosen among the aggregate dimensions, counts from the summary tables.

Never row-level: every cell is a sum of summary rows, and the table with its totals goes through the disclosure
rule in one call, so the page, its chart and its XLSX show the same protected figures.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from io import BytesIO

from django import forms
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from clts.core.disclosure import key, protect
from clts.core.spreadsheets import safe_row
from clts.geo.models import District
from clts.reports import figures, widgets
from clts.reports.filters import FilterForm, Filters
from clts.reports.models import STATUS_COLUMNS, CaseFacts, LinkageFacts
from rescue.choices import Category, Industry, Sex, Status
from schemes.choices import LinkageStatus
from schemes.models import Scheme

# Dimensions of the case figures; "scheme" counts scheme linkages instead (by district, month and status).
CASE_DIMENSIONS = ["district", "month", "sex", "category", "industry", "status"]
LINKAGE_DIMENSIONS = ["district", "month", "scheme", "status"]


def dimension_choices():
    return [
        ("district", gettext_lazy("District")),
        ("month", gettext_lazy("Month of rescue")),
        ("sex", gettext_lazy("Sex")),
        ("category", gettext_lazy("Age category")),
        ("industry", gettext_lazy("Industry")),
        ("status", gettext_lazy("Status")),
        ("scheme", gettext_lazy("Scheme (linkages)")),
    ]


class CrosstabForm(FilterForm):
    rows = forms.ChoiceField(
        label=gettext_lazy("Rows"), choices=dimension_choices, initial="district", widget=widgets.Select
    )
    columns = forms.ChoiceField(
        label=gettext_lazy("Columns"),
        choices=lambda: [("", gettext_lazy("None (totals only)")), *dimension_choices()],
        required=False,
        initial="sex",
        widget=widgets.Select,
    )

    field_order = ["rows", "columns", "month_from", "month_to", "district", "sex", "category", "industry"]

    def clean(self):
        data = super().clean()
        rows, columns = data.get("rows"), data.get("columns")
        if rows and rows == columns:
            self.add_error("columns", _("Choose different rows and columns."))
        if "scheme" in (rows, columns):
            other = columns if rows == "scheme" else rows
            if other and other not in LINKAGE_DIMENSIONS:
                self.add_error("columns", _("Scheme linkages can be crossed with district, month or status only."))
            if any(data.get(name) for name in ("sex", "category", "industry")):
                self.add_error("rows", _("Scheme linkages are not split by sex, age category or industry."))
        return data


@dataclass
class Crosstab:
    rows: str
    columns: str
    row_values: list
    column_values: list
    labels: dict
    cells: dict  # (row value, column value) -> shown value; None stands for the total
    measure: str


def build(*, user, filters: Filters, rows: str, columns: str) -> Crosstab:
    """The table for this reader (user None: published, every small count hidden)."""
    counts = (
        _linkage_counts(filters, rows, columns) if "scheme" in (rows, columns) else _case_counts(filters, rows, columns)
    )
    values: dict = {}
    row_values, column_values = set(), set()
    for (r, c), n in counts.items():
        row_values.add(r)
        dims_rc = {rows: r, **({columns: c} if columns else {})}
        for k in {key(**dims_rc), key(**{rows: r}), key(**({columns: c} if columns else {})), key()}:
            values[k] = values.get(k, 0) + n
        if columns:
            column_values.add(c)
    base = {"district": filters.district} if filters.district and "district" not in (rows, columns) else {}
    if base:
        values = {frozenset(k | key(**base)): v for k, v in values.items()}
    own = figures.own_predicate(user) if user is not None else (lambda k: False)
    disclosure = protect(values, own=own)
    labels = _labels(rows, row_values) | _labels(columns, column_values) if columns else _labels(rows, row_values)
    row_list = sorted(row_values, key=lambda v: _order(rows, v, labels))
    column_list = sorted(column_values, key=lambda v: _order(columns, v, labels))
    cells = {}
    for r in [*row_list, None]:
        for c in [*column_list, None] if columns else [None]:
            dims = {**base}
            if r is not None:
                dims[rows] = r
            if c is not None:
                dims[columns] = c
            k = key(**dims)
            cells[(r, c)] = disclosure.show(k) if k in values else 0
    measure = _("Scheme linkages") if "scheme" in (rows, columns) else _("Children")
    return Crosstab(rows, columns, row_list, column_list, labels, cells, measure)


def _order(dimension: str, value, labels: dict):
    if dimension == "month":
        return value
    if dimension in ("status", "sex", "category", "industry"):
        return list(labels).index(value) if value in labels else len(labels)
    return labels.get(value, str(value))


def _case_counts(filters: Filters, rows: str, columns: str) -> dict:
    chosen = [d for d in (rows, columns) if d and d != "status"]
    detail = filters.splits_cases or any(d in ("sex", "category", "industry") for d in chosen)
    queryset = CaseFacts.objects.filter(detail=detail, month__gte=filters.month_from, month__lte=filters.month_to)
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    for name in ("sex", "category", "industry"):
        if value := getattr(filters, name):
            queryset = queryset.filter(**{name: value})
    fields = [("district_id" if d == "district" else d) for d in chosen]
    sums = {column: Sum(column) for column in STATUS_COLUMNS}
    counts: dict = defaultdict(int)
    for row in queryset.values(*fields).annotate(cases=Sum("cases"), **sums).order_by():
        by = {d: row["district_id" if d == "district" else d] for d in chosen}
        if "status" in (rows, columns):
            for status in Status.values:
                if n := row[f"st_{status}"]:
                    point = {**by, "status": status}
                    counts[(point[rows], point.get(columns))] += n
        elif row["cases"]:
            counts[(by[rows], by.get(columns))] += row["cases"]
    return counts


def _linkage_counts(filters: Filters, rows: str, columns: str) -> dict:
    queryset = LinkageFacts.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if filters.district:
        queryset = queryset.filter(district_id=filters.district)
    chosen = [d for d in (rows, columns) if d]
    fields = {"district": "district_id", "scheme": "scheme_id", "month": "month", "status": "status"}
    counts: dict = defaultdict(int)
    for row in queryset.values(*[fields[d] for d in chosen]).annotate(n=Sum("linkages")).order_by():
        counts[(row[fields[rows]], row[fields[columns]] if columns else None)] += row["n"]
    return counts


def _labels(dimension: str, values: set) -> dict:
    if dimension == "district":
        return {d.pk: figures.label(d) for d in District.objects.filter(pk__in=values)}
    if dimension == "month":
        return {m: f"{m:%b %Y}" for m in values}
    if dimension == "scheme":
        return {s.pk: figures.label_of_scheme(s) for s in Scheme.objects.filter(pk__in=values)}
    choices = {"sex": Sex, "category": Category, "industry": Industry}.get(dimension)
    if dimension == "status":
        choices = Status if not values or set(values) <= set(Status.values) else LinkageStatus
    return {value: str(label) for value, label in choices.choices} if choices else {}


def dimension_label(dimension: str) -> str:
    return str(dict(dimension_choices()).get(dimension, ""))


def as_rows(table: Crosstab) -> list[list]:
    """The table as plain rows (header first), as the XLSX and the page show it."""
    header = [dimension_label(table.rows)]
    if table.columns:
        header += [table.labels.get(c, str(c)) for c in table.column_values]
    header.append(_("Total"))
    lines = [header]
    for r in [*table.row_values, None]:
        line = [table.labels.get(r, str(r)) if r is not None else _("Total")]
        if table.columns:
            line += [table.cells[(r, c)] for c in table.column_values]
        line.append(table.cells[(r, None)])
        lines.append(line)
    return lines


def xlsx(table: Crosstab, *, title: str, note: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cross-tab"
    sheet.append(safe_row([title]))
    sheet["A1"].font = Font(bold=True)
    sheet.append(safe_row([note]))
    sheet.append([])
    for line in as_rows(table):
        sheet.append(safe_row(line))
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
