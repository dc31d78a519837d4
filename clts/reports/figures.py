"""The figures of the state and district dashboards and of the monthly report, read from the summary tables.

Every count of a page is collected under a disclosure key first (`clts.core.disclosure.key`), the whole page is
passed once through `protect`, and only then turned into rows for tables and charts, so that a hidden count is
hidden in the headline, the table, the chart and the export alike.

Dimensions of the keys: district, month, place (within / outside the state), stage (in_cci, rehabilitation,
closed, retrafficked), restored, status (every case status, for the cross-tab), unit kinds (block, officer,
institution), flows (home, dest), money (measure) and schemes (department, scheme, lstatus), compliance (measure,
outcome).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Sum
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clts.accounts.roles import Role
from clts.alerts.models import ComplianceMonth
from clts.core.disclosure import SMALL_COUNT, Disclosure, Key, key, protect
from clts.geo.models import Block, District, State
from clts.orgs.models import Institution
from clts.reports.filters import Filters
from clts.reports.models import STATUS_COLUMNS, CaseFacts, FlowFacts, LinkageFacts, UnitFacts
from rehabilitation.models import DistrictMonthFigures
from rescue.choices import Interstate, Status
from schemes.choices import LinkageStatus

STAGES = {
    "in_cci": [Status.IN_SHELTER],
    "rehabilitation": [Status.REHABILITATION, Status.FOLLOW_UP],
    "closed": [Status.CLOSED],
    "retrafficked": [Status.RETRAFFICKED],
}


def stage_labels() -> dict[str, str]:
    return {
        "in_cci": _("In CCIs"),
        "rehabilitation": _("Under rehabilitation"),
        "closed": _("Closed"),
        "retrafficked": _("Re-trafficked"),
    }


def place_of(interstate: str) -> str:
    """Within the state (the state's own and other states' children rescued here) or outside it."""
    return "outside" if interstate == Interstate.INBOUND else "within"


def own_predicate(user) -> Callable[[Key], bool]:
    """Whether a figure counts only children of the reader's own jurisdiction (never small-suppressed for them)."""
    if user.is_state_wide:
        return lambda k: True
    if user.role == Role.DISTRICT and user.district_id:
        return lambda k: dict(k).get("district") == user.district_id
    if user.role == Role.BLOCK and user.block_id:
        return lambda k: dict(k).get("block") == user.block_id
    return lambda k: False


def reader_signature(user) -> str:
    """The part of a cache key that tells readers apart: what is their own jurisdiction."""
    if user is None:
        return "published"
    if user.is_state_wide:
        return "state"
    return f"{user.role}-{user.district_id}-{user.block_id}"


def label(place, *, hindi: bool | None = None) -> str:
    """A place's name in the reader's language (`hindi` given by callers that name many places at once)."""
    if place is None:
        return ""
    if hindi is None:
        hindi = get_language() == "hi"
    return (hindi and getattr(place, "name_hi", "")) or getattr(place, "name_en", str(place))


def as_of() -> object:
    """When the figures were rebuilt: every row carries the same time (the tables are rebuilt whole), so any one
    row says it, without reading the table (a Max would scan a quarter of a million rows at a million cases)."""
    return CaseFacts.objects.values_list("refreshed_at", flat=True).first()


# Reading the summary tables --------------------------------------------------------------------------------------
#
# A page's figures are read in one statement: each table's sums aggregated to JSON in a scalar subquery, so that a
# page costs one round trip to the database instead of one per table and per name lookup (on a loaded machine each
# round trip waits for both processes to be scheduled again; fifteen of them were most of a cold page).

_CASE_SUMS = ["cases", "restored", "restored_retrafficked", "late", *STATUS_COLUMNS]


def _case_sql(filters: Filters, *, district: int | None) -> tuple[str, list]:
    """The case counts summed in the database for the page total, by district (the state's page only) and by month,
    each by interstate kind, in one GROUPING SETS query over the summary table."""
    where, params = (
        ["detail = %s", "month >= %s", "month <= %s"],
        [filters.splits_cases, filters.month_from, filters.month_to],
    )
    if district:
        where.append("district_id = %s")
        params.append(district)
    for name in ("sex", "category", "industry"):
        if value := getattr(filters, name):
            where.append(f"{name} = %s")
            params.append(value)
    sets = ["(interstate)", "(month, interstate)"]
    by_district = "false AS by_district, NULL::bigint AS district_id"
    if not district:
        sets.append("(district_id, interstate)")
        by_district = "GROUPING(district_id) = 0 AS by_district, district_id"
    sums = ", ".join(f"sum({c})::bigint AS {c}" for c in _CASE_SUMS)
    sql = (
        f"SELECT {by_district}, GROUPING(month) = 0 AS by_month, month, interstate, {sums} "  # noqa: S608
        f"FROM {CaseFacts._meta.db_table} WHERE {' AND '.join(where)} GROUP BY GROUPING SETS ({', '.join(sets)})"
    )
    return sql, params


def _flow_sql(filters: Filters, *, district: District | None) -> tuple[str, list]:
    """The largest flows only (at most FLOW_ROWS, each of at least five children): what the page lists. Smaller
    flows are not on the page at all, so they need no protection and give none away. Summed first, named after:
    the names of only the forty rows kept (grouping by the names too made the sort ten times slower)."""
    where, params = ["month >= %s", "month <= %s"], [filters.month_from, filters.month_to]
    if district:
        where.append("(home_district_id = %s OR rescue_district_id = %s)")
        params += [district.pk, district.pk]
    districts, states = District._meta.db_table, State._meta.db_table
    sql = f"""
        SELECT f.*, s.lgd_code AS rescue_state__lgd_code, s.name_en AS rescue_state__name_en,
            s.name_hi AS rescue_state__name_hi, h.name_en AS home_district__name_en,
            h.name_hi AS home_district__name_hi, r.name_en AS rescue_district__name_en,
            r.name_hi AS rescue_district__name_hi
        FROM (
            SELECT home_district_id, rescue_state_id, rescue_district_id, city, sum(cases)::bigint AS n
            FROM {FlowFacts._meta.db_table}
            WHERE {" AND ".join(where)}
            GROUP BY home_district_id, rescue_state_id, rescue_district_id, city
            HAVING sum(cases) >= %s
            ORDER BY n DESC, home_district_id, rescue_state_id, rescue_district_id, city
            LIMIT %s
        ) f
        JOIN {states} s ON s.id = f.rescue_state_id
        JOIN {districts} h ON h.id = f.home_district_id
        LEFT JOIN {districts} r ON r.id = f.rescue_district_id
    """  # noqa: S608 (table names from the models)
    return sql, [*params, SMALL_COUNT, FLOW_ROWS]


def _unit_sql(filters: Filters, *, district: District) -> tuple[str, list]:
    """Cases of one district by block, responsible officer and CCI, with each one's name."""
    from django.contrib.auth import get_user_model

    sums = ", ".join(f"sum(u.{c})::bigint AS {c}" for c in ["cases", "restored", *STATUS_COLUMNS])
    sql = f"""
        SELECT u.unit, u.unit_id, b.name_en AS block_en, b.name_hi AS block_hi, i.name AS institution,
            o.first_name, o.last_name, o.username, {sums}
        FROM {UnitFacts._meta.db_table} u
        LEFT JOIN {Block._meta.db_table} b ON u.unit = 'block' AND b.id = u.unit_id
        LEFT JOIN {Institution._meta.db_table} i ON u.unit = 'institution' AND i.id = u.unit_id
        LEFT JOIN {get_user_model()._meta.db_table} o ON u.unit = 'officer' AND o.id = u.unit_id
        WHERE u.district_id = %s AND u.month >= %s AND u.month <= %s
        GROUP BY u.unit, u.unit_id, b.id, i.id, o.id
    """  # noqa: S608 (table names from the models)
    return sql, [district.pk, filters.month_from, filters.month_to]


def _money_query(filters: Filters, *, district: District | None):
    rows = DistrictMonthFigures.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(district=district)
    # Amounts as text: JSON numbers would come back as floats.
    return (
        rows.values("district_id", "district__name_en", "district__name_hi")
        .annotate(
            n=Sum("overdue_count"),
            sanctioned=Cast(Sum("sanctioned_amount"), CharField()),
            disbursed=Cast(Sum("disbursed_amount"), CharField()),
            overdue=Cast(Sum("overdue_amount"), CharField()),
        )
        .order_by("district__name_en")
    )


def _scheme_query(filters: Filters, *, district: District | None):
    rows = LinkageFacts.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(district=district)
    names = [f"{what}__name_{lang}" for what in ("scheme", "department") for lang in ("en", "hi")]
    return rows.values("department_id", "scheme_id", "status", *names).annotate(n=Sum("linkages")).order_by()


def _compliance_query(user, filters: Filters, *, district: District | None):
    """The alerts' monthly compliance figures of every rule (what `clts.alerts.queries.compliance_figures` reads,
    through the same access rule), summed by district, or by block of one district, with the names to show: read
    with the page's other figures instead of in two statements of their own (the sums, then the names)."""
    by = "block" if district else "district"
    rows = ComplianceMonth.objects.visible_to(user).filter(month__gte=filters.month_from, month__lte=filters.month_to)
    rows = rows.filter(block__district=district) if district else rows.filter(district__isnull=False)
    return (
        rows.values(by, f"{by}__name_en", f"{by}__name_hi")
        .annotate(due=Sum("due"), on_time=Sum("on_time"), late=Sum("late"), overdue=Sum("overdue"))
        .order_by()
    )


def _district_query():
    return District.objects.filter(state__lgd_code=settings.HOME_STATE).values("id", "name_en", "name_hi").order_by()


def _read(filters: Filters, *, district: District | None, units: bool, user=None) -> dict[str, list[dict]]:
    """Every summary figure a page shows, and the names to show them with, in one round trip (with the
    compliance figures within `user`'s jurisdiction when a user is given)."""
    parts: dict[str, tuple[str, list | tuple]] = {
        "cases": _case_sql(filters, district=district.pk if district else None),
        "districts": _district_query().query.sql_with_params(),
        "money": _money_query(filters, district=district).query.sql_with_params(),
        "schemes": _scheme_query(filters, district=district).query.sql_with_params(),
    }
    if user is not None:
        parts["compliance"] = _compliance_query(user, filters, district=district).query.sql_with_params()
    if not filters.splits_cases:
        parts["flows"] = _flow_sql(filters, district=district)
        if district and units:
            parts["units"] = _unit_sql(filters, district=district)
    selects, params = [], []
    for name, (sql, part_params) in parts.items():
        selects.append(f"(SELECT coalesce(json_agg(t), '[]'::json) FROM ({sql}) t) AS {name}")  # noqa: S608 (SQL of this module's queries)
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(selects), params)
        row = cursor.fetchone()
    return {
        name: json.loads(value) if isinstance(value, str) else value for name, value in zip(parts, row, strict=True)
    }


@dataclass(frozen=True)
class Named:
    """A place, scheme or department as read with the figures: its id and its names (what `label` needs)."""

    pk: int
    name_en: str
    name_hi: str = ""


def _named(row: dict, prefix: str, pk) -> Named | None:
    return Named(pk, row[f"{prefix}__name_en"] or "", row[f"{prefix}__name_hi"] or "") if pk is not None else None


_STAGE_COLUMNS = [[f"st_{status}" for status in statuses] for statuses in STAGES.values()]


def _add_case_rows(values: dict, rows: list[tuple[tuple, dict]]) -> None:
    """Add the summary rows' counts under the keys they contribute to: each row comes with its base (its district,
    month or nothing, as key items). The rows of one base are summed first and its keys made once (a page has some
    fifty bases for about fifteen hundred rows; making eight keys per row was most of reading the figures)."""
    totals: dict[tuple, list[int]] = {}
    by_place: dict[tuple, int] = {}
    for base, row in rows:
        sums = totals.get(base)
        if sums is None:
            sums = totals[base] = [0] * (3 + len(_STAGE_COLUMNS))
        cases = row["cases"] or 0
        sums[0] += cases
        sums[1] += row["restored"] or 0
        sums[2] += row["restored_retrafficked"] or 0
        for i, columns in enumerate(_STAGE_COLUMNS, start=3):
            sums[i] += sum(row[c] for c in columns)
        place = (base, place_of(row["interstate"]))
        by_place[place] = by_place.get(place, 0) + cases

    def add(k: Key, n: int) -> None:
        values[k] = values.get(k, 0) + n

    for base, sums in totals.items():
        items = dict(base)
        add(key(**items), sums[0])
        for i, stage in enumerate(STAGES, start=3):
            add(key(**items, stage=stage), sums[i])
        add(key(**items, restored=True), sums[1])
        add(key(**items, restored=True, stage="retrafficked"), sums[2])
    for (base, place), n in by_place.items():
        add(key(**dict(base), place=place), n)


@dataclass
class Page:
    """One page's figures before and after disclosure control, the names to show them with, and its sections."""

    values: dict = field(default_factory=dict)
    disclosure: Disclosure | None = None
    sections: dict = field(default_factory=dict)
    names: dict = field(default_factory=lambda: defaultdict(dict))
    money: list = field(default_factory=list)

    def show(self, k: Key):
        return self.disclosure.show(k) if k in self.disclosure.values else 0

    def shown(self, k: Key):
        return self.disclosure.shown(k) if k in self.disclosure.values else 0


def headline_keys(base: dict) -> list[tuple[str, Key]]:
    return [
        (_("Registered"), key(**base)),
        (_("Rescued within the state"), key(**base, place="within")),
        (_("Rescued outside the state"), key(**base, place="outside")),
        (_("In CCIs"), key(**base, stage="in_cci")),
        (_("Restored to family"), key(**base, restored=True)),
        (_("Under rehabilitation"), key(**base, stage="rehabilitation")),
        (_("Closed"), key(**base, stage="closed")),
        (_("Re-trafficked"), key(**base, stage="retrafficked")),
    ]


ROW_COLUMNS = [
    ("registered", {}),
    ("within", {"place": "within"}),
    ("outside", {"place": "outside"}),
    ("in_cci", {"stage": "in_cci"}),
    ("restored", {"restored": True}),
    ("rehabilitation", {"stage": "rehabilitation"}),
    ("closed", {"stage": "closed"}),
    ("retrafficked", {"stage": "retrafficked"}),
]


def row_columns() -> list[tuple[str, str]]:
    names = {
        "registered": _("Registered"),
        "within": _("Within the state"),
        "outside": _("Outside the state"),
        "in_cci": _("In CCIs"),
        "restored": _("Restored"),
        "rehabilitation": _("Under rehabilitation"),
        "closed": _("Closed"),
        "retrafficked": _("Re-trafficked"),
    }
    return [(code, names[code]) for code, _dims in ROW_COLUMNS]


def _table_row(page: Page, base: dict) -> dict:
    cells = {code: page.show(key(**base, **dims)) for code, dims in ROW_COLUMNS}
    values = list(cells.values())
    sort = {code: page.shown(key(**base, **dims)) for code, dims in ROW_COLUMNS}
    rate = page.disclosure.rate(key(**base, restored=True, stage="retrafficked"), key(**base, restored=True))
    return {"cells": cells, "values": values, "sort": sort, "rate": rate}


# The dashboards -------------------------------------------------------------------------------------------------

FLOW_ROWS = 40


def dashboard(
    *, user, filters: Filters, district: District | None = None, units: bool = False, published: bool = False
) -> Page:
    """The state dashboard (district None), or one district's (with its tables by block, officer and CCI when
    `units`), as `user` may see it; `published` (or no user): a file, where every small count is hidden."""
    page = Page()
    values = page.values
    base = {"district": district.pk} if district else {}
    read = _read(filters, district=district, units=units, user=user)
    for row in read["districts"]:
        page.names["district"][row["id"]] = page.names["report"][row["id"]] = Named(*row.values())
    base_items, months, rows = tuple(base.items()), {}, []
    for row in read["cases"]:
        if row["by_district"]:
            rows.append(((("district", row["district_id"]),), row))
        elif row["by_month"]:
            if (month := months.get(row["month"])) is None:
                month = months[row["month"]] = date.fromisoformat(row["month"])
            rows.append(((*base_items, ("month", month)), row))
        else:
            rows.append((base_items, row))
    _add_case_rows(values, rows)
    for m in filters.months:
        values.setdefault(key(**base, month=m), 0)
    values.setdefault(key(**base), 0)
    if "flows" in read:
        _add_flows(page, read["flows"])
    if "units" in read:
        _add_units(page, read["units"], district=district)
    _add_money(page, read["money"])
    _add_schemes(page, read["schemes"], base=base)
    if "compliance" in read:
        _add_compliance(page, read["compliance"], district=district)
    own = own_predicate(user) if user is not None and not published else (lambda k: False)
    page.disclosure = protect(values, own=own)
    _sections(page, base=base, filters=filters, district=district, units=units)
    return page


def _add_flows(page: Page, rows: list[dict]) -> None:
    values, names, home_state = page.values, page.names, settings.HOME_STATE
    for row in rows:
        for place, pk in (("home_district", row["home_district_id"]), ("rescue_district", row["rescue_district_id"])):
            if pk is not None:
                names["district"].setdefault(pk, _named(row, place, pk))
        names["state"].setdefault(row["rescue_state_id"], _named(row, "rescue_state", row["rescue_state_id"]))
        if row["rescue_state__lgd_code"] == home_state and row["rescue_district_id"]:
            k = key(district=row["rescue_district_id"], place="within", home=row["home_district_id"])
        else:
            # The state's child rescued elsewhere is reported under the home district.
            k = key(district=row["home_district_id"], place="outside", dest=(row["rescue_state_id"], row["city"]))
        values[k] = values.get(k, 0) + row["n"]


def _add_units(page: Page, rows: list[dict], *, district: District) -> None:
    values = page.values
    for row in rows:
        unit_id = row["unit_id"] or 0
        unit = {row["unit"]: unit_id}
        if row["unit"] == "block":
            name = label(Named(unit_id, row["block_en"] or "", row["block_hi"] or "")) if row["block_en"] else ""
        elif row["unit"] == "institution":
            name = row["institution"] or ""
        else:
            name = f"{row['first_name'] or ''} {row['last_name'] or ''}".strip() or row["username"] or ""
        page.names[row["unit"]][unit_id] = name
        values[key(district=district.pk, **unit)] = row["cases"]
        values[key(district=district.pk, restored=True, **unit)] = row["restored"]
        for stage, statuses in STAGES.items():
            values[key(district=district.pk, stage=stage, **unit)] = sum(row[f"st_{s}"] for s in statuses)


def _add_money(page: Page, rows: list[dict]) -> None:
    for row in rows:
        page.values[key(district=row["district_id"], measure="overdue_components")] = row["n"]
    page.money = rows


def _add_schemes(page: Page, rows: list[dict], *, base: dict) -> None:
    values = page.values
    for row in rows:
        dept, scheme = row["department_id"], row["scheme_id"]
        page.names["scheme"].setdefault(scheme, _named(row, "scheme", scheme))
        page.names["department"].setdefault(dept, _named(row, "department", dept))
        for k in (
            key(**base, department=dept, scheme=scheme),
            key(**base, department=dept, scheme=scheme, lstatus=row["status"]),
            key(**base, department=dept),
            key(**base, department=dept, lstatus=row["status"]),
        ):
            values[k] = values.get(k, 0) + row["n"]


def _add_compliance(page: Page, rows: list[dict], *, district: District | None) -> None:
    values = page.values
    by = "block" if district else "district"
    hindi = get_language() == "hi"
    for row in rows:
        pk = row[by]
        page.names["compliance"][pk] = label(
            Named(pk, row[f"{by}__name_en"] or "", row[f"{by}__name_hi"] or ""), hindi=hindi
        )
        unit = {by: pk}
        if district:
            unit["district"] = district.pk
        for outcome in ("on_time", "late", "overdue"):
            values[key(measure="compliance", outcome=outcome, **unit)] = row[outcome]
        values[key(measure="compliance", **unit)] = row["due"]


# Turning protected figures into sections -------------------------------------------------------------------------


def _sections(page: Page, *, base: dict, filters: Filters, district: District | None, units: bool) -> None:
    d = page.disclosure
    s = page.sections
    s["headline"] = [{"label": text, "value": page.show(k)} for text, k in headline_keys(base)]
    s["rate"] = d.rate(key(**base, restored=True, stage="retrafficked"), key(**base, restored=True))
    s["columns"] = row_columns()
    if not district:
        hindi = get_language() == "hi"
        # The state's districts with a figure (flows name other states' districts too).
        names = {pk: label(place, hindi=hindi) for pk, place in page.names["report"].items()}
        ids = {dict(k).get("district") for k in page.values if "district" in dict(k)}
        rows = []
        for pk in sorted((i for i in ids if i in names), key=lambda i: names[i]):
            rows.append({"label": names[pk], "pk": pk, **_table_row(page, {"district": pk})})
        s["districts"] = rows
    s["trend"] = [{"month": m, **_table_row(page, {**base, "month": m})} for m in filters.months]
    s["flows"] = _flow_rows(page, district=district) if not filters.splits_cases else None
    if district and units and not filters.splits_cases:
        s["units"] = _unit_tables(page, district=district)
    s["money"] = _money_rows(page)
    s["schemes"] = _scheme_rows(page, base=base)
    s["scheme_statuses"] = scheme_status_labels()
    s["compliance"] = _compliance_rows(page, district=district)


def _flow_rows(page: Page, *, district: District | None) -> list[dict]:
    hindi = get_language() == "hi"
    districts, states = page.names["district"], page.names["state"]
    rows = []
    for k, n in page.values.items():
        dims = dict(k)
        if "home" in dims and "place" in dims:
            origin, where = districts.get(dims["home"]), label(districts.get(dims["district"]), hindi=hindi)
        elif "dest" in dims:
            origin = districts.get(dims["district"])
            state_id, city = dims["dest"]
            state = label(states.get(state_id), hindi=hindi)
            where = f"{city}, {state}" if city else state
        else:
            continue
        if district and district.pk not in (origin.pk if origin else None, dims.get("district")):
            continue
        rows.append(
            {
                "origin": label(origin, hindi=hindi),
                "destination": where,
                "outside": dims.get("place") == "outside",
                "value": page.show(k),
                "sort": page.shown(k),
                "raw": n,
            }
        )
    rows.sort(key=lambda r: (-r["raw"], r["origin"], r["destination"]))
    for row in rows:
        del row["raw"]
    # The largest flows (ordered by the true count, but only the shown values are written out: the order ranks
    # hidden flows among themselves only by name after every shown one, see below).
    shown = [r for r in rows if isinstance(r["value"], int) and r["value"] != 0]
    hidden = sorted((r for r in rows if isinstance(r["value"], str)), key=lambda r: (r["origin"], r["destination"]))
    return (shown + hidden)[:FLOW_ROWS]


def _unit_tables(page: Page, *, district: District) -> list[dict]:
    tables = []
    kinds = [("block", _("By block")), ("officer", _("By responsible officer")), ("institution", _("By CCI"))]
    for unit, title in kinds:
        ids = {dict(k)[unit] for k in page.values if unit in dict(k)}
        names = page.names[unit]
        rows = []
        for pk in sorted(ids, key=lambda i: (i == 0, names.get(i, ""))):
            cells = {
                code: page.show(key(district=district.pk, **{unit: pk}, **dims))
                for code, dims in ROW_COLUMNS
                if "place" not in dims
            }
            rows.append({"label": names.get(pk) or _("Not recorded"), "cells": cells})
        tables.append({"unit": unit, "title": title, "rows": rows})
    return tables


def _money_rows(page: Page) -> list[dict]:
    hindi = get_language() == "hi"
    result = []
    for row in page.money:
        k = key(district=row["district_id"], measure="overdue_components")
        hidden = k in page.disclosure.hidden
        result.append(
            {
                "label": (hindi and row["district__name_hi"]) or row["district__name_en"],
                "sanctioned": Decimal(row["sanctioned"]),
                "disbursed": Decimal(row["disbursed"]),
                # An overdue amount beside a hidden count of components would give the count away.
                "overdue_amount": None if hidden else Decimal(row["overdue"]),
                "overdue_count": page.show(k),
            }
        )
    return result


def _scheme_rows(page: Page, *, base: dict) -> list[dict]:
    schemes, departments = page.names["scheme"], page.names["department"]
    by_department: dict = defaultdict(list)
    for k in page.values:
        dims = dict(k)
        if set(dims) == {"department", "scheme", *base}:
            by_department[dims["department"]].append(dims["scheme"])
    statuses = LinkageStatus.values
    result = []
    for dept_id, scheme_ids in by_department.items():
        rows = []
        for sid in sorted(scheme_ids, key=lambda i: label_of_scheme(schemes[i])):
            cells = [page.show(key(**base, department=dept_id, scheme=sid, lstatus=st)) for st in statuses]
            total = page.show(key(**base, department=dept_id, scheme=sid))
            rows.append({"label": label_of_scheme(schemes[sid]), "total": total, "cells": cells})
        result.append(
            {
                "label": label_of_department(departments[dept_id]),
                "total": page.show(key(**base, department=dept_id)),
                "cells": [page.show(key(**base, department=dept_id, lstatus=st)) for st in statuses],
                "rows": rows,
            }
        )
    result.sort(key=lambda r: r["label"])
    return result


def scheme_status_labels() -> list[str]:
    return [str(label_) for _value, label_ in LinkageStatus.choices]


def label_of_scheme(scheme) -> str:
    return (get_language() == "hi" and getattr(scheme, "name_hi", "")) or scheme.name_en


def label_of_department(dept) -> str:
    return (get_language() == "hi" and getattr(dept, "name_hi", "")) or getattr(dept, "name_en", str(dept))


def _compliance_rows(page: Page, *, district: District | None) -> list[dict]:
    unit = "block" if district else "district"
    ids = {dict(k)[unit] for k in page.values if dict(k).get("measure") == "compliance"}
    names = page.names["compliance"]
    extra = {"district": district.pk} if district else {}
    rows = []
    for pk in sorted(ids, key=lambda i: names.get(i, "")):
        base = {"measure": "compliance", unit: pk, **extra}
        rows.append(
            {
                "label": names.get(pk, ""),
                "due": page.show(key(**base)),
                "on_time": page.show(key(**base, outcome="on_time")),
                "late": page.show(key(**base, outcome="late")),
                "overdue": page.show(key(**base, outcome="overdue")),
                "rate": page.disclosure.rate(key(**base, outcome="on_time"), key(**base)),
            }
        )
    return rows


def month_label(month: date) -> str:
    return f"{month:%b %Y}"
