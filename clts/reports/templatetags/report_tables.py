"""The bodies of the report tables written in Python: the by-district table alone is some 450 cells, and rendering
each through the template engine (a node, a context lookup and a localisation per cell) was a good part of a page.
The markup is the one the templates wrote, every value escaped."""

from django import template
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


def _count(value) -> str:
    """A count, "<5" or "*" (escaped)."""
    return str(value) if isinstance(value, int) else str(conditional_escape(value))


def _rate(rate) -> str:
    return f"{conditional_escape(localize(rate))}%" if rate is not None else "—"


def _cells(values) -> str:
    return "".join(f'<td class="text-end">{_count(v)}</td>' for v in values)


_NO_RATE = object()


def _row(label, values, *, rate=_NO_RATE, bold: bool = False) -> str:
    """A row headed by its label (already escaped): the counts, then the rate where the table has one."""
    tail = "" if rate is _NO_RATE else f'<td class="text-end">{_rate(rate)}</td>'
    opening = '<tr class="fw-bold">' if bold else "<tr>"
    return f'{opening}<th scope="row">{label}</th>{_cells(values)}{tail}</tr>'


def _body(rows) -> SafeString:
    """A table body from its rows' markup, every value in it escaped by the row's writer."""
    return mark_safe("".join(rows))  # noqa: S308 (every value escaped by the row's writer)


@register.simple_tag
def district_rows(rows, sortable: bool = False, query: str = "") -> SafeString:
    """The by-district table's rows (linked to each district's dashboard on the page, plain in the PDF)."""

    def name(row):
        if sortable:
            return format_html('<a href="{}?{}">{}</a>', row["url"], query, row["label"])
        return conditional_escape(row["label"])

    return _body(_row(name(row), row["values"], rate=row["rate"]) for row in rows)


@register.simple_tag
def trend_rows(rows) -> SafeString:
    def line(row):
        cells = row["cells"]
        values = (cells["registered"], cells["within"], cells["outside"], cells["restored"])
        return f"<tr><td>{conditional_escape(date_format(row['month'], 'M Y'))}</td>{_cells(values)}</tr>"

    return _body(line(row) for row in rows)


@register.simple_tag
def flow_rows(rows) -> SafeString:
    outside = format_html(' <span class="badge text-bg-light">{}</span>', _("outside the state"))
    return _body(
        f"<tr><td>{conditional_escape(row['origin'])}</td><td>{conditional_escape(row['destination'])}"
        f"{outside if row['outside'] else ''}</td>{_cells([row['value']])}</tr>"
        for row in rows
    )


@register.simple_tag
def compliance_rows(rows) -> SafeString:
    return _body(
        _row(
            conditional_escape(row["label"]),
            (row["due"], row["on_time"], row["late"], row["overdue"]),
            rate=row["rate"],
        )
        for row in rows
    )


@register.simple_tag
def unit_rows(rows) -> SafeString:
    codes = ("registered", "in_cci", "restored", "rehabilitation", "closed", "retrafficked")
    return _body(_row(conditional_escape(row["label"]), [row["cells"][code] for code in codes]) for row in rows)


@register.simple_tag
def crosstab_rows(lines) -> SafeString:
    """The cross-tab's body (its rows after the header; the last, the totals, in bold)."""
    body = lines[1:]
    return _body(
        _row(conditional_escape(line[0]), line[1:], bold=index == len(body) - 1) for index, line in enumerate(body)
    )
