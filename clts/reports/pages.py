"""What a dashboard (on screen or in the monthly PDF) shows: the protected figures with a chart beside each table.

Cached per reader's jurisdiction, filters, language and summary refresh: the figures change only when Celery
rebuilds the summary tables, so a page view after the first reads one cache entry instead of running disclosure
control again.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clts.geo.models import District
from clts.reports import charts, figures
from clts.reports.filters import Filters

CACHE_SECONDS = 15 * 60
CACHE_PREFIX = "reports-dashboard-v9"


def _hidden_mark(value) -> str:
    return value if isinstance(value, str) else ""


def _bar(text: str, value) -> charts.Bar:
    return charts.Bar(text, None if isinstance(value, str) else value, _hidden_mark(value))


_READ = object()


def dashboard_context(
    *,
    user,
    filters: Filters,
    district: District | None,
    units: bool = False,
    published: bool = False,
    as_of=_READ,
) -> dict:
    """The dashboard's sections and charts for this reader; `published`: for a file that leaves the portal, where
    every small count is hidden whoever reads it (the user then only scopes the compliance figures). `as_of`: the
    time of the last refresh when the caller has read it already (`queries.report_districts_as_of`)."""
    if as_of is _READ:
        as_of = figures.as_of()
    cache_key = ":".join(
        [
            CACHE_PREFIX,
            "published" if published else figures.reader_signature(user),
            filters.cache_part(),
            str(district.pk if district else "-"),
            "units" if units else "-",
            get_language() or "en",
            as_of.isoformat() if as_of else "none",
        ]
    )
    if (cached := cache.get(cache_key)) is not None:
        return cached
    page = figures.dashboard(user=user, filters=filters, district=district, units=units, published=published)
    context = {**page.sections, "as_of": as_of, "charts": _charts(page.sections)}
    cache.set(cache_key, context, CACHE_SECONDS)
    return context


def _charts(sections: dict) -> dict:
    result = {}
    trend = sections["trend"]
    months = [f"{row['month']:%m/%y}" for row in trend]

    def series(code):
        return [None if isinstance(row["cells"][code], str) else row["cells"][code] for row in trend]

    result["trend"] = charts.lines(
        months,
        [
            (_("Registered"), series("registered")),
            (_("Within the state"), series("within")),
            (_("Outside the state"), series("outside")),
        ],
        title=_("Children rescued by month"),
    )
    if sections.get("districts"):
        rows = sorted(sections["districts"], key=lambda r: -(r["sort"]["registered"] or 0))
        result["districts"] = charts.bars(
            [_bar(r["label"], r["cells"]["registered"]) for r in rows], title=_("Children registered by district")
        )
    if sections.get("flows"):
        top = sections["flows"][:15]
        result["flows"] = charts.flows(
            [(r["origin"], r["destination"], None if isinstance(r["value"], str) else r["value"]) for r in top],
            title=_("Where children were found working, by home district"),
        )
    if sections.get("money"):
        # The fifteen districts with most sanctioned; every district is in the table beside it.
        top = sorted(sections["money"], key=lambda r: -(r["sanctioned"] or 0))[:15]
        result["money"] = charts.paired_bars(
            [(r["label"], r["sanctioned"], r["disbursed"]) for r in top],
            names=(_("Sanctioned (Rs)"), _("Disbursed (Rs)")),
            title=_("Rehabilitation money sanctioned and disbursed"),
        )
    if sections.get("schemes"):
        result["schemes"] = charts.bars(
            [_bar(dept["label"], dept["total"]) for dept in sections["schemes"]],
            title=_("Scheme linkages by department"),
        )
    if sections.get("compliance"):
        result["compliance"] = charts.bars(
            [charts.Bar(r["label"], r["rate"], "—") for r in sections["compliance"]],
            title=_("Deadlines met on time (per cent)"),
        )
    return result


def sorted_rows(rows: list[dict], sort: str) -> list[dict]:
    """The by-district table sorted on a column ("-registered": descending). Hidden cells sort as if empty, after
    every shown count, so that the order never ranks a hidden count against the others."""
    code = sort.lstrip("-")
    if code == "label":
        return sorted(rows, key=lambda r: r["label"], reverse=sort.startswith("-"))
    if code == "rate":
        shown = [r for r in rows if r["rate"] is not None]
        hidden = [r for r in rows if r["rate"] is None]
        return sorted(shown, key=lambda r: r["rate"], reverse=sort.startswith("-")) + hidden
    if not rows or code not in rows[0]["sort"]:
        return rows
    shown = [r for r in rows if r["sort"][code] is not None]
    hidden = [r for r in rows if r["sort"][code] is None]
    return sorted(shown, key=lambda r: r["sort"][code], reverse=sort.startswith("-")) + hidden


def crosstab_chart(table) -> str:
    """Bars of the cross-tab's row totals (hidden totals as gaps)."""
    return charts.bars(
        [_bar(table.labels.get(r, str(r)), table.cells[(r, None)]) for r in table.row_values],
        title=_("Totals by row"),
    )
