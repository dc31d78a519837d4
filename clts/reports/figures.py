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

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clts.accounts.roles import Role
from clts.alerts.queries import compliance_figures
from clts.core.disclosure import SMALL_COUNT, Disclosure, Key, key, protect
from clts.geo.models import Block, District, State
from clts.orgs.models import Institution
from clts.reports.filters import Filters
from clts.reports.models import STATUS_COLUMNS, CaseFacts, FlowFacts, LinkageFacts, UnitFacts
from rehabilitation.models import DistrictMonthFigures
from rescue.choices import Interstate, Status
from schemes.choices import LinkageStatus
from schemes.models import Scheme

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


def _case_rows(filters: Filters, *, district: int | None, by: tuple[str, ...]):
    """The case counts summed in the database by `by` (and the interstate kind), from the summary table."""
    rows = CaseFacts.objects.filter(
        detail=filters.splits_cases, month__gte=filters.month_from, month__lte=filters.month_to
    )
    if district:
        rows = rows.filter(district_id=district)
    for name in ("sex", "category", "industry"):
        if value := getattr(filters, name):
            rows = rows.filter(**{name: value})
    sums = {name: Sum(name) for name in ("cases", "restored", "restored_retrafficked", "late", *STATUS_COLUMNS)}
    return rows.values(*by, "interstate").annotate(**sums).order_by()


def _add_case_counts(values: dict, base: dict, row: dict) -> None:
    """Add one summary row's counts under the keys it contributes to (`base`: its district, month or nothing)."""

    def add(k: Key, n: int) -> None:
        values[k] = values.get(k, 0) + (n or 0)

    add(key(**base), row["cases"])
    add(key(**base, place=place_of(row["interstate"])), row["cases"])
    for stage, statuses in STAGES.items():
        add(key(**base, stage=stage), sum(row[f"st_{s}"] for s in statuses))
    add(key(**base, restored=True), row["restored"])
    add(key(**base, restored=True, stage="retrafficked"), row["restored_retrafficked"])


@dataclass
class Page:
    """One page's figures before and after disclosure control, and the labels to show them with."""

    values: dict = field(default_factory=dict)
    disclosure: Disclosure | None = None
    sections: dict = field(default_factory=dict)

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


def dashboard(
    *, user, filters: Filters, district: District | None = None, units: bool = False, published: bool = False
) -> Page:
    """The state dashboard (district None), or one district's (with its tables by block, officer and CCI when
    `units`), as `user` may see it; `published` (or no user): a file, where every small count is hidden."""
    page = Page()
    values = page.values
    base = {"district": district.pk} if district else {}
    only = district.pk if district else None
    # Three sums in the database (the page total, by district, by month) rather than one fine-grained read
    # added up in Python: a handful of rows each, whatever the number of cases.
    for row in _case_rows(filters, district=only, by=()):
        _add_case_counts(values, base, row)
    if not district:
        for row in _case_rows(filters, district=only, by=("district_id",)):
            _add_case_counts(values, {"district": row["district_id"]}, row)
    for row in _case_rows(filters, district=only, by=("month",)):
        _add_case_counts(values, {**base, "month": row["month"]}, row)
    for m in filters.months:
        values.setdefault(key(**base, month=m), 0)
    values.setdefault(key(**base), 0)
    if not filters.splits_cases:
        _add_flows(values, filters, district=district)
        if district and units:
            _add_units(values, filters, district=district)
    _add_money(values, filters, district=district)
    _add_schemes(values, filters, base=base, district=district)
    if user is not None:
        _add_compliance(values, user=user, filters=filters, district=district)
    own = own_predicate(user) if user is not None and not published else (lambda k: False)
    page.disclosure = protect(values, own=own)
    _sections(page, base=base, filters=filters, district=district, units=units)
    return page


FLOW_ROWS = 40


def _add_flows(values: dict, filters: Filters, *, district: District | None) -> None:
    """The largest flows only (at most FLOW_ROWS, each of at least five children): what the page lists. Smaller
    flows are not on the page at all, so they need no protection and give none away."""
    rows = FlowFacts.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(Q(home_district=district) | Q(rescue_district=district))
    home_state = settings.HOME_STATE
    largest = (
        rows.values("home_district_id", "rescue_state_id", "rescue_state__lgd_code", "rescue_district_id", "city")
        .annotate(n=Sum("cases"))
        .filter(n__gte=SMALL_COUNT)
        .order_by("-n", "home_district_id", "rescue_state_id", "rescue_district_id", "city")[:FLOW_ROWS]
    )
    for row in largest:
        if row["rescue_state__lgd_code"] == home_state and row["rescue_district_id"]:
            k = key(district=row["rescue_district_id"], place="within", home=row["home_district_id"])
        else:
            # The state's child rescued elsewhere is reported under the home district.
            k = key(district=row["home_district_id"], place="outside", dest=(row["rescue_state_id"], row["city"]))
        values[k] = values.get(k, 0) + row["n"]


def _add_units(values: dict, filters: Filters, *, district: District) -> None:
    rows = (
        UnitFacts.objects.filter(district=district, month__gte=filters.month_from, month__lte=filters.month_to)
        .values("unit", "unit_id")
        .annotate(n=Sum("cases"), restored=Sum("restored"), **{c: Sum(c) for c in STATUS_COLUMNS})
    )
    for row in rows:
        unit = {row["unit"]: row["unit_id"] or 0}
        values[key(district=district.pk, **unit)] = row["n"]
        values[key(district=district.pk, restored=True, **unit)] = row["restored"]
        for stage, statuses in STAGES.items():
            values[key(district=district.pk, stage=stage, **unit)] = sum(row[f"st_{s}"] for s in statuses)


def _add_money(values: dict, filters: Filters, *, district: District | None) -> None:
    rows = DistrictMonthFigures.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(district=district)
    for row in rows.values("district_id").annotate(n=Sum("overdue_count")):
        values[key(district=row["district_id"], measure="overdue_components")] = row["n"]


def _add_schemes(values: dict, filters: Filters, *, base: dict, district: District | None) -> None:
    rows = LinkageFacts.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(district=district)
    for row in rows.values("department_id", "scheme_id", "status").annotate(n=Sum("linkages")):
        dept, scheme = row["department_id"], row["scheme_id"]
        for k in (
            key(**base, department=dept, scheme=scheme),
            key(**base, department=dept, scheme=scheme, lstatus=row["status"]),
            key(**base, department=dept),
            key(**base, department=dept, lstatus=row["status"]),
        ):
            values[k] = values.get(k, 0) + row["n"]


def _add_compliance(values: dict, *, user, filters: Filters, district: District | None) -> None:
    by = "block" if district else "district"
    blocks = set(district.blocks.values_list("pk", flat=True)) if district else None
    for row in compliance_figures(user=user, month_from=filters.month_from, month_to=filters.month_to, by=by):
        if row["key"] is None or (blocks is not None and row["key"] not in blocks):
            continue
        unit = {by: row["key"]}
        if district:
            unit["district"] = district.pk
        for outcome in ("on_time", "late", "overdue"):
            k = key(measure="compliance", outcome=outcome, **unit)
            values[k] = values.get(k, 0) + row[outcome]
        k = key(measure="compliance", **unit)
        values[k] = values.get(k, 0) + row["due"]


# Turning protected figures into sections -------------------------------------------------------------------------


def _sections(page: Page, *, base: dict, filters: Filters, district: District | None, units: bool) -> None:
    d = page.disclosure
    s = page.sections
    s["headline"] = [{"label": text, "value": page.show(k)} for text, k in headline_keys(base)]
    s["rate"] = d.rate(key(**base, restored=True, stage="retrafficked"), key(**base, restored=True))
    s["columns"] = row_columns()
    if not district:
        names = {x.pk: x for x in District.objects.filter(state__lgd_code=settings.HOME_STATE)}
        ids = {dict(k).get("district") for k in page.values if "district" in dict(k)}
        rows = []
        hindi = get_language() == "hi"
        for pk in sorted((i for i in ids if i in names), key=lambda i: label(names[i], hindi=hindi)):
            rows.append({"label": label(names[pk], hindi=hindi), "pk": pk, **_table_row(page, {"district": pk})})
        s["districts"] = rows
    s["trend"] = [{"month": m, **_table_row(page, {**base, "month": m})} for m in filters.months]
    s["flows"] = _flow_rows(page, district=district) if not filters.splits_cases else None
    if district and units and not filters.splits_cases:
        s["units"] = _unit_tables(page, district=district)
    s["money"] = _money_rows(page, filters=filters, district=district)
    s["schemes"] = _scheme_rows(page, base=base)
    s["scheme_statuses"] = scheme_status_labels()
    s["compliance"] = _compliance_rows(page, district=district)


def _flow_rows(page: Page, *, district: District | None) -> list[dict]:
    hindi = get_language() == "hi"
    ids = {dict(k).get(name) for k in page.values for name in ("home", "district")}
    districts = {x.pk: x for x in District.objects.filter(pk__in=ids)}
    states = {
        x.pk: x for x in State.objects.filter(pk__in={dict(k)["dest"][0] for k in page.values if "dest" in dict(k)})
    }
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
        names = _unit_names(unit, ids)
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


def _unit_names(unit: str, ids: set) -> dict:
    if unit == "block":
        return {b.pk: label(b) for b in Block.objects.filter(pk__in=ids)}
    if unit == "institution":
        return {i.pk: i.name for i in Institution.objects.filter(pk__in=ids)}
    from django.contrib.auth import get_user_model

    return {u.pk: u.get_full_name() or u.username for u in get_user_model().objects.filter(pk__in=ids)}


def _money_rows(page: Page, *, filters: Filters, district: District | None) -> list[dict]:
    rows = DistrictMonthFigures.objects.filter(month__gte=filters.month_from, month__lte=filters.month_to)
    if district:
        rows = rows.filter(district=district)
    result = []
    for row in (
        rows.values("district_id", "district__name_en", "district__name_hi")
        .annotate(sanctioned=Sum("sanctioned_amount"), disbursed=Sum("disbursed_amount"), overdue=Sum("overdue_amount"))
        .order_by("district__name_en")
    ):
        k = key(district=row["district_id"], measure="overdue_components")
        hidden = k in page.disclosure.hidden
        name = (get_language() == "hi" and row["district__name_hi"]) or row["district__name_en"]
        result.append(
            {
                "label": name,
                "sanctioned": row["sanctioned"],
                "disbursed": row["disbursed"],
                # An overdue amount beside a hidden count of components would give the count away.
                "overdue_amount": None if hidden else row["overdue"],
                "overdue_count": page.show(k),
            }
        )
    return result


def _scheme_rows(page: Page, *, base: dict) -> list[dict]:
    schemes = {s.pk: s for s in Scheme.objects.select_related("department")}
    by_department: dict = defaultdict(list)
    for k in page.values:
        dims = dict(k)
        if set(dims) == {"department", "scheme", *base}:
            by_department[dims["department"]].append(dims["scheme"])
    statuses = LinkageStatus.values
    result = []
    for dept_id, scheme_ids in by_department.items():
        dept = schemes[scheme_ids[0]].department
        rows = []
        for sid in sorted(scheme_ids, key=lambda i: label_of_scheme(schemes[i])):
            cells = [page.show(key(**base, department=dept_id, scheme=sid, lstatus=st)) for st in statuses]
            total = page.show(key(**base, department=dept_id, scheme=sid))
            rows.append({"label": label_of_scheme(schemes[sid]), "total": total, "cells": cells})
        result.append(
            {
                "label": label_of_department(dept),
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
    model = Block if district else District
    names = {x.pk: label(x) for x in model.objects.filter(pk__in=ids)}
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
