"""Reads of rehabilitation: package lists, the case panel, education, closure readiness and the figures."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from clts.accounts import access
from clts.accounts.roles import Role
from clts.core.db import local_settings
from clts.core.keyset import format_cursor, parse_cursor
from rehabilitation.models import (
    DONE_STATUSES,
    AppliesTo,
    Component,
    ComponentKind,
    ComponentStatus,
    ComponentTemplate,
    DistrictMonthFigures,
    Enrolment,
    EnrolmentKind,
    Package,
    RehabilitationRule,
    Visit,
)
from rescue.models import Case, CaseEvent, Category, Sex, Status

PAGE_SIZE = 50
FINAL_STATUSES = (Status.CLOSED, Status.RETRAFFICKED, Status.LOST_CONTACT, Status.TRANSFERRED_OUT)
# Statuses in which the child is back with the family: the restoration date is known.
RESTORED_STATUSES = (Status.RESTORED, Status.REHABILITATION, Status.FOLLOW_UP, Status.CLOSED)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def is_school_age(case: Case, day: date, rule: RehabilitationRule) -> bool:
    return rule.school_age_from <= case.age_on(day) <= rule.school_age_to


def restoration_date(case: Case) -> date | None:
    """When the child was restored to the family: the case's restoration time, else its latest "restored" event."""
    if case.restored_at:
        return timezone.localdate(case.restored_at)
    event = (
        CaseEvent.objects.filter(case=case, to_status=Status.RESTORED).order_by("-at").values_list("at", flat=True)
    ).first()
    if event:
        return timezone.localdate(event)
    if case.status == Status.RESTORED:
        return timezone.localdate(case.status_changed_at)
    return None


def case_conditions(case: Case) -> set[str]:
    """The AppliesTo conditions a case meets."""
    conditions = {AppliesTo.ALL}
    conditions.add(AppliesTo.CHILD if case.category == Category.CHILD else AppliesTo.ADOLESCENT)
    if case.bonded:
        conditions.add(AppliesTo.BONDED)
    if case.trafficked:
        conditions.add(AppliesTo.TRAFFICKED)
    if case.child.sex == Sex.FEMALE:
        conditions.add(AppliesTo.GIRL)
    return conditions


def templates_for_case(case: Case) -> list[ComponentTemplate]:
    """The active templates in force on the date of rescue whose every condition the case meets."""
    on = case.rescued_on
    conditions = case_conditions(case)
    templates = ComponentTemplate.objects.filter(is_active=True).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on),
        Q(effective_to__isnull=True) | Q(effective_to__gte=on),
    )
    return [t for t in templates if t.applies_to and set(t.applies_to) <= conditions]


# Lists ---------------------------------------------------------------------------------------------------------


@dataclass
class PackagePage:
    items: list[Package]
    next_after: str = ""


_LIST_FIELDS = (
    "id",
    "planned_total",
    "sanctioned_total",
    "disbursed_total",
    "open_components",
    "first_open_due_on",
    "created_at",
    "case__id",
    "case__case_number",
    "case__category",
    "case__status",
    "case__rescued_on",
    "case__home_district__name_en",
    "case__home_district__name_hi",
    "case__home_block__name_en",
    "case__home_block__name_hi",
)


def package_list(
    *, user, district=None, block=None, overdue_only: bool = False, after: str = "", limit: int = PAGE_SIZE
) -> PackagePage:
    """Packages the user may see, the latest rescues first, keyset-paginated on (date of rescue, case).

    A district's list is the union of two ordered index walks over the cases (rescued in the district, and
    from the district), each stopping after one page, so a page costs the same at any depth and for any
    district at a million cases. A district officer sees their district's list; the state picks a district or
    sees all. Every branch still starts from `visible_to(user)`.
    """
    if district is None and block is None and user.role == Role.DISTRICT:
        district = user.district
    if block is None and user.role == Role.BLOCK:
        block = user.block
    packages = Package.objects.visible_to(user)
    if overdue_only:
        packages = packages.filter(first_open_due_on__lt=timezone.localdate())
    cursor = parse_cursor(after)
    if cursor:
        day, case_id = cursor
        # The first condition repeats the second's bound in a form the (district, date, id) index can start from.
        packages = packages.filter(case__rescued_on__lte=day).filter(
            Q(case__rescued_on__lt=day) | Q(case__rescued_on=day, case_id__lt=case_id)
        )
    order = ("-case__rescued_on", "-case_id")
    if block is not None:
        branches = [
            packages.filter(case__district_id=block.district_id, case__block=block),
            packages.filter(case__home_district_id=block.district_id, case__home_block=block),
        ]
    elif district is not None:
        branches = [packages.filter(case__district=district), packages.filter(case__home_district=district)]
    else:
        branches = [packages]
    # Each walk stops after one page; parallel workers would take longer to start than the walk takes.
    with local_settings(max_parallel_workers_per_gather=0):
        if len(branches) == 1:
            ids = list(branches[0].order_by(*order).values_list("pk", flat=True)[: limit + 1])
        else:
            walks = [
                branch.order_by(*order).values_list("pk", "case__rescued_on", "case_id")[: limit + 1]
                for branch in branches
            ]
            rows = set(walks[0].union(*walks[1:], all=True))
            ids = [row[0] for row in sorted(rows, key=lambda row: (row[1], row[2]), reverse=True)[: limit + 1]]
    rows = {
        p.pk: p
        for p in Package.objects.filter(pk__in=ids)
        .select_related("case", "case__home_district", "case__home_block")
        .only(*_LIST_FIELDS)
    }
    items = [rows[pk] for pk in ids if pk in rows]
    next_after = ""
    if len(items) > limit:
        last = items[limit - 1]
        next_after = format_cursor(last.case.rescued_on, last.case_id)
    return PackagePage(items=items[:limit], next_after=next_after)


def attach_overdue_components(packages: list[Package]) -> None:
    """Give each package of one page its overdue components (`overdue_list`), in one query."""
    by_package: dict[int, list[Component]] = {p.pk: [] for p in packages}
    if packages:
        overdue = Component.objects.overdue().filter(package__in=list(by_package)).order_by("due_on", "pk")
        for component in overdue.only("id", "package_id", "name_en", "name_hi", "due_on", "status"):
            by_package[component.package_id].append(component)
    for package in packages:
        package.overdue_list = by_package[package.pk]


def visit_list(*, user, pending_only: bool = True, after: tuple | None = None, limit: int = PAGE_SIZE):
    """Visits the user may see, soonest due first: for a field worker, the visits assigned to them.

    Still to make (`pending_only`): every visit due by the end of this week, and beyond it only each case's next
    visit; the later ones of a schedule (running years ahead) cannot be made before it and only lengthen the list.
    Each row carries the child, the guardian, the village and the address the visit needs.
    """
    # For a field worker, visible_to already keeps only the visits assigned to them (access.VISIT_SCOPE).
    visits = Visit.objects.visible_to(user).select_related(
        "case", "case__home_block", "case__child", "case__child__home_village", "assigned_to"
    )
    if pending_only:
        week_end = visit_week_end(timezone.localdate())
        next_of_each_case = (
            Visit.objects.filter(visited_on__isnull=True).order_by("case_id", "due_on", "pk").distinct("case_id")
        )
        visits = (
            visits.filter(visited_on__isnull=True)
            .exclude(case__status__in=FINAL_STATUSES)
            .filter(Q(due_on__lte=week_end) | Q(pk__in=next_of_each_case.values("pk")))
        )
    if after:
        due_on, pk = after
        visits = visits.filter(Q(due_on__gt=due_on) | Q(due_on=due_on, pk__gt=pk))
    rows = list(visits.order_by("due_on", "pk")[: limit + 1])
    next_after = (rows[limit - 1].due_on, rows[limit - 1].pk) if len(rows) > limit else None
    return rows[:limit], next_after


def visit_week_end(today: date) -> date:
    """The last day of "this week" on the visit list: today and the six days after it."""
    return today + timedelta(days=6)


# The groups of the visit list, in order: (key, heading).
VISIT_GROUPS = (
    ("overdue", _lazy("Overdue")),
    ("week", _lazy("This week")),
    ("later", _lazy("Later")),
    ("recorded", _lazy("Recorded")),
)


def visit_group_of(visit: Visit, today: date) -> str:
    """Which group of the visit list a visit falls in: overdue, this week, later, or already recorded."""
    if visit.is_recorded:
        return "recorded"
    if visit.due_on < today:
        return "overdue"
    return "week" if visit.due_on <= visit_week_end(today) else "later"


def visits_grouped(visits: list[Visit], today: date | None = None) -> list[tuple[str, str, list[Visit]]]:
    """The rows of one page of the list in their groups, as (key, heading, visits), empty groups left out."""
    today = today or timezone.localdate()
    groups: dict[str, list[Visit]] = {key: [] for key, _heading in VISIT_GROUPS}
    for visit in visits:
        groups[visit_group_of(visit, today)].append(visit)
    return [(key, heading, groups[key]) for key, heading in VISIT_GROUPS if groups[key]]


def field_workers_for(case: Case):
    """Active field workers who may be assigned the case's visits: those of the home district's blocks."""
    from clts.accounts.models import User

    district_id = case.home_district_id or case.district_id
    return User.objects.filter(role=Role.FIELD, is_active=True, block__district_id=district_id).order_by(
        "block__name_en", "last_name", "pk"
    )


# Education and closure -------------------------------------------------------------------------------------------


@dataclass
class Education:
    current: Enrolment | None
    history: list[Enrolment]
    age: int
    school_age: bool
    past_school_age: bool
    due_on: date | None
    overdue: bool

    @property
    def satisfied(self) -> bool:
        """What closure asks: in school or a bridge course; past school age, training or permitted work will do."""
        if self.current is None:
            return False
        return self.current.kind in (EnrolmentKind.SCHOOL, EnrolmentKind.BRIDGE) or self.past_school_age


def education_for_case(case: Case, *, rule: RehabilitationRule, components: list[Component] | None = None):
    """The education record of a case; a child of school age not enrolled by the education due date is overdue."""
    today = timezone.localdate()
    history = list(Enrolment.objects.filter(case=case).order_by("-enrolled_on", "-pk"))
    current = next((e for e in history if e.ended_on is None), None)
    if components is None:
        components = list(Component.objects.filter(package__case=case))
    due_dates = [c.due_on for c in components if c.kind == ComponentKind.EDUCATION and c.due_on]
    due_on = min(due_dates) if due_dates else None
    age = case.age_on(today)
    school_age = rule.school_age_from <= age <= rule.school_age_to
    enrolled = current is not None and current.kind in (EnrolmentKind.SCHOOL, EnrolmentKind.BRIDGE)
    return Education(
        current=current,
        history=history,
        age=age,
        school_age=school_age,
        past_school_age=age > rule.school_age_to,
        due_on=due_on,
        overdue=school_age and not enrolled and due_on is not None and due_on < today,
    )


# Figures for the reports issue -----------------------------------------------------------------------------------

_FIGURES_SQL = """
WITH c AS (
    SELECT COALESCE(k.home_district_id, k.district_id) AS district_id, comp.status, comp.due_on,
           comp.planned_amount, comp.sanctioned_on, comp.sanctioned_amount, comp.disbursed_on, comp.disbursed_amount
    FROM {component} comp
    JOIN {package} p ON p.id = comp.package_id
    JOIN {case} k ON k.id = p.case_id
    {where}
)
SELECT district_id, month,
       SUM(sc)::int AS sanctioned_count, COALESCE(SUM(sa), 0) AS sanctioned_amount,
       SUM(dc)::int AS disbursed_count, COALESCE(SUM(da), 0) AS disbursed_amount,
       SUM(oc)::int AS overdue_count, COALESCE(SUM(oa), 0) AS overdue_amount
FROM (
    SELECT district_id, date_trunc('month', sanctioned_on)::date AS month,
           1 AS sc, COALESCE(sanctioned_amount, 0) AS sa, 0 AS dc, 0 AS da, 0 AS oc, 0 AS oa
    FROM c WHERE sanctioned_on IS NOT NULL AND status <> 'waived'
    UNION ALL
    SELECT district_id, date_trunc('month', disbursed_on)::date, 0, 0, 1, COALESCE(disbursed_amount, 0), 0, 0
    FROM c WHERE disbursed_on IS NOT NULL AND status <> 'waived'
    UNION ALL
    SELECT district_id, date_trunc('month', due_on)::date, 0, 0, 0, 0,
           1, COALESCE(sanctioned_amount, planned_amount, 0)
    FROM c WHERE status IN ('planned', 'sanctioned') AND due_on < %(today)s
) x
WHERE district_id IS NOT NULL
GROUP BY district_id, month
"""


def figures_sql(*, one_district: bool = False) -> str:
    """The figures by district and month; `one_district`: only the district given as %(district)s."""
    where = "WHERE COALESCE(k.home_district_id, k.district_id) = %(district)s" if one_district else ""
    return _FIGURES_SQL.format(
        component=Component._meta.db_table, package=Package._meta.db_table, case=Case._meta.db_table, where=where
    )


FIGURE_COLUMNS = (
    "sanctioned_count",
    "sanctioned_amount",
    "disbursed_count",
    "disbursed_amount",
    "overdue_count",
    "overdue_amount",
)


def figures_live(*, today: date | None = None) -> list[dict]:
    """The figures by district and month computed now from the components (what the summary table stores)."""
    with connection.cursor() as cursor:
        cursor.execute(figures_sql(), {"today": today or timezone.localdate()})
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def figures_by_district_month(
    *, districts: list[int] | None = None, start: date | None = None, end: date | None = None
) -> list[dict]:
    """For the reports issue: sanctioned, disbursed and overdue (count and Rs) by district and month.

    Read from the summary table that `figures_refresh` rebuilds (Celery); each row carries `refreshed_at`.
    """
    rows = DistrictMonthFigures.objects.all()
    if districts is not None:
        rows = rows.filter(district_id__in=districts)
    if start:
        rows = rows.filter(month__gte=start.replace(day=1))
    if end:
        rows = rows.filter(month__lte=end)
    return list(rows.order_by("district_id", "month").values("district_id", "month", *FIGURE_COLUMNS, "refreshed_at"))


def totals_by_district(*, districts: list[int] | None = None) -> list[dict]:
    """The state's totals by district (all months), from the summary table: one row per district with figures."""
    rows = DistrictMonthFigures.objects.all()
    if districts is not None:
        rows = rows.filter(district_id__in=districts)
    sums = {name: Sum(name) for name in FIGURE_COLUMNS}
    result = list(
        rows.values("district_id", "district__name_en", "district__name_hi")
        .annotate(refreshed_at=Max("refreshed_at"), **sums)
        .order_by("district__name_en")
    )
    hindi = get_language() == "hi"
    for row in result:
        row["district"] = (hindi and row["district__name_hi"]) or row["district__name_en"]
    return result


def figures_built_at():
    """When the summary table was last built (None if never, or if it holds no row)."""
    return DistrictMonthFigures.objects.aggregate(at=Max("refreshed_at"))["at"]


def totals_live_for_district(district) -> list[dict]:
    """One district's totals read now from its components: a district's packages are few enough to add up on each
    visit, so its page never disagrees with the rows below it. One row, or none when nothing is counted."""
    with connection.cursor() as cursor:
        cursor.execute(figures_sql(one_district=True), {"today": timezone.localdate(), "district": district.pk})
        names = [column.name for column in cursor.description]
        months = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if not months:
        return []
    row = {name: sum(month[name] for month in months) for name in FIGURE_COLUMNS}
    return [row | {"district_id": district.pk, "district": district.name, "refreshed_at": None, "live": True}]


def totals_for_user(user) -> list[dict]:
    """The figure rows a user's package page shows: every district for the state, from the summary table (with
    the time it was built); the user's own district read live."""
    if user.is_state_wide:
        return totals_by_district()
    if user.district_id:
        return totals_live_for_district(user.district)
    return []


# Pages -----------------------------------------------------------------------------------------------------------


@dataclass
class PackageSummary:
    """Amounts of a package by stage, added up in Decimal (waived components count only as waived)."""

    planned: Decimal = Decimal("0")
    sanctioned: Decimal = Decimal("0")
    disbursed: Decimal = Decimal("0")
    overdue: Decimal = Decimal("0")
    overdue_count: int = 0
    counts: dict = field(default_factory=dict)
    no_due_date: int = 0


def package_summary(components: list[Component]) -> PackageSummary:
    summary = PackageSummary(counts=dict.fromkeys(ComponentStatus.values, 0))
    for component in components:
        summary.counts[component.status] += 1
        if component.status == ComponentStatus.WAIVED:
            continue
        summary.planned += component.planned_amount or 0
        summary.sanctioned += component.sanctioned_amount or 0
        summary.disbursed += component.disbursed_amount or 0
        if component.is_overdue:
            summary.overdue += component.sanctioned_amount or component.planned_amount or 0
            summary.overdue_count += 1
        if component.is_open and component.due_on is None:
            summary.no_due_date += 1
    return summary


def package_page(*, package: Package) -> dict:
    components = list(package.components.select_related("template").order_by("template__position", "pk"))
    return {
        "package": package,
        "case": package.case,
        "components": components,
        "summary": package_summary(components),
    }


def closure_missing(
    *,
    package: Package | None,
    components: list[Component],
    education: Education,
    recorded_visits: list[Visit],
    awaiting_decision: bool,
    rule: RehabilitationRule,
) -> list[str]:
    """What still stands between a case and closure as rehabilitated, in words (empty when it may close).

    `recorded_visits`: the case's recorded visits, latest first.
    """
    missing = []
    if package is None:
        missing.append(_("The case has no rehabilitation package."))
    for component in components:
        if component.status not in DONE_STATUSES:
            missing.append(
                _("“%(name)s” is %(status)s: it must be disbursed, or waived with a reason.")
                % {"name": component.name, "status": component.get_status_display().lower()}
            )
    if not education.satisfied:
        if education.past_school_age:
            missing.append(_("The adolescent is not in school, a bridge course, training or permitted work."))
        else:
            missing.append(_("The child is not enrolled in a school or a bridge course."))
    needed = rule.safe_visits_for_closure
    recent = recorded_visits[:needed]
    if len(recent) < needed:
        missing.append(
            _("Only %(done)s of the %(needed)s safe visits needed have been recorded.")
            % {"done": len(recent), "needed": needed}
        )
    unsafe = [visit for visit in recent if not visit.safe]
    if unsafe:
        missing.append(
            _("Not all of the last %(needed)s visits found the child safe (visit of %(date)s).")
            % {"needed": needed, "date": unsafe[0].visited_on.strftime("%d-%m-%Y")}
        )
    if awaiting_decision:
        missing.append(_("A visit waits for the district officer's decision."))
    return missing


def recorded_visits_latest_first(visits: list[Visit]) -> list[Visit]:
    recorded = [visit for visit in visits if visit.is_recorded]
    return sorted(recorded, key=lambda visit: (visit.visited_on, visit.sequence), reverse=True)


def closure_check(*, case: Case) -> list[str]:
    rule = RehabilitationRule.current()
    package = Package.objects.filter(case=case).first()
    components = list(package.components.all()) if package else []
    visits = list(Visit.objects.filter(case=case))
    return closure_missing(
        package=package,
        components=components,
        education=education_for_case(case, rule=rule, components=components),
        recorded_visits=recorded_visits_latest_first(visits),
        awaiting_decision=any(visit.awaits_decision for visit in visits),
        rule=rule,
    )


def package_by_id(*, user, pk: int, related: tuple[str, ...] = ("case",), write: bool = False) -> Package:
    """One package through the user's access (404 outside it; with `write`, 403 where the user may only read it)."""
    return access.get_or_404(Package.objects.select_related(*related), user, write=write, pk=pk)


def component_by_id(*, user, pk: int, write: bool = False) -> Component:
    """One component through the user's access (404 outside it), with its package and case."""
    qs = Component.objects.select_related("package", "package__case")
    return access.get_or_404(qs, user, write=write, pk=pk)


def visit_by_id(*, user, pk: int, related: tuple[str, ...] = ("case",), write: bool = False) -> Visit:
    """One visit through the user's access (404 outside it): a field worker reaches only the visits assigned."""
    return access.get_or_404(Visit.objects.select_related(*related), user, write=write, pk=pk)
