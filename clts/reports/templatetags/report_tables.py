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


@register.simple_tag
def district_rows(rows, sortable: bool = False, query: str = "") -> SafeString:
    """The by-district table's rows (linked to each district's dashboard on the page, plain in the PDF)."""
    out = []
    for row in rows:
        name = (
            format_html('<a href="{}?{}">{}</a>', row["url"], query, row["label"])
            if sortable
            else conditional_escape(row["label"])
        )
        out.append(
            f'<tr><th scope="row">{name}</th>{_cells(row["values"])}<td class="text-end">{_rate(row["rate"])}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def trend_rows(rows) -> SafeString:
    out = []
    for row in rows:
        cells = row["cells"]
        values = (cells["registered"], cells["within"], cells["outside"], cells["restored"])
        out.append(f"<tr><td>{conditional_escape(date_format(row['month'], 'M Y'))}</td>{_cells(values)}</tr>")
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def flow_rows(rows) -> SafeString:
    outside = format_html(' <span class="badge text-bg-light">{}</span>', _("outside the state"))
    out = []
    for row in rows:
        out.append(
            f"<tr><td>{conditional_escape(row['origin'])}</td><td>{conditional_escape(row['destination'])}"
            f"{outside if row['outside'] else ''}</td>{_cells([row['value']])}</tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def compliance_rows(rows) -> SafeString:
    out = []
    for row in rows:
        values = (row["due"], row["on_time"], row["late"], row["overdue"])
        out.append(
            f'<tr><th scope="row">{conditional_escape(row["label"])}</th>{_cells(values)}'
            f'<td class="text-end">{_rate(row["rate"])}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def unit_rows(rows) -> SafeString:
    codes = ("registered", "in_cci", "restored", "rehabilitation", "closed", "retrafficked")
    out = []
    for row in rows:
        values = [row["cells"][code] for code in codes]
        out.append(f'<tr><th scope="row">{conditional_escape(row["label"])}</th>{_cells(values)}</tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)


@register.simple_tag
def crosstab_rows(lines) -> SafeString:
    """The cross-tab's body (its rows after the header; the last, the totals, in bold)."""
    out = []
    body = lines[1:]
    for index, line in enumerate(body):
        bold = ' class="fw-bold"' if index == len(body) - 1 else ""
        out.append(f'<tr{bold}><th scope="row">{conditional_escape(line[0])}</th>{_cells(line[1:])}</tr>')
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
