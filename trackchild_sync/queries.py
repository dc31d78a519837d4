"""Reads of trackchild_sync, always through the user's access."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.accounts.roles import Role
from clts.orgs.models import Institution
from rescue.models import Case, Status
from rescue.services import PRODUCTION_LIMIT
from trackchild_sync.choices import PairStatus, ReportStatus
from trackchild_sync.models import (
    CwcDeadline,
    CwcOrder,
    CwcSitting,
    FoundChild,
    MatchPair,
    MissingReport,
    RegisterEvent,
    Residence,
    SyncAttempt,
    SyncRun,
)


def cwc_orders_of(*, case: Case) -> list[CwcOrder]:
    """The Committee's orders on a case the reader already sees (the case page), oldest first."""
    return list(
        CwcOrder.objects.filter(case=case).select_related("cwc", "cci", "recorded_by").order_by("ordered_on", "id")
    )


# --- the CCI register -------------------------------------------------------------------------------------------


def homes_for(user) -> QuerySet[Institution]:
    """The CCIs whose register the user may read: CCI staff their own home, a CWC member, DCPU or district officer
    the homes of their district, the state and the admin every home. A home outside this answers 404."""
    homes = Institution.objects.filter(kind=Institution.Kind.CCI).select_related("district")
    if user.is_superuser or user.role in (Role.STATE, Role.ADMIN):
        return homes
    if user.role == Role.CCI:
        return homes.filter(pk=user.institution_id)
    if user.role in (Role.CWC, Role.DCPU, Role.DISTRICT) and user.district_id:
        return homes.filter(district_id=user.district_id)
    return homes.none()


def home_for_page(*, user, pk: int) -> Institution:
    try:
        return homes_for(user).get(pk=pk)
    except Institution.DoesNotExist:
        raise Http404 from None


def homes_with_occupancy(*, user) -> list[Institution]:
    """Each home the user may read with the children it holds today (`held`) beside its capacity."""
    homes = homes_for(user).filter(is_active=True)
    homes = homes.annotate(held=Count("residences", filter=Q(residences__left_on__isnull=True)))
    return list(homes.order_by("district__name_en", "name"))


# What the register's lists show of each stay (not the whole description, nor the whole case: a home holds dozens).
_REGISTER_LINE = ("id", "name", "sex", "age_years", "admitted_on", "on_leave_since", "left_on", "leaving_reason",
                  "institution_id", "case__case_number")  # fmt: skip


def current_residents(*, user, home: Institution) -> list[Residence]:
    return list(
        Residence.objects.visible_to(user)
        .filter(institution=home, left_on__isnull=True)
        .select_related("case")
        .only(*_REGISTER_LINE)
        .order_by("admitted_on", "id")
    )


def recent_leavers(*, user, home: Institution, size: int = 50) -> list[Residence]:
    return list(
        Residence.objects.visible_to(user)
        .filter(institution=home, left_on__isnull=False)
        .select_related("case")
        .only(*_REGISTER_LINE)
        .order_by("-left_on", "-id")[:size]
    )


def occupancy_by_day(*, home: Institution, first: date, last: date) -> list[dict]:
    """[{"day", "held", "capacity", "over"}] for each day from first to last: stays open on the day (admitted on or
    before it, not yet left). One query on the (institution, admitted_on, left_on) index."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT d::date, (
                SELECT count(*) FROM trackchild_sync_residence r
                WHERE r.institution_id = %s AND r.admitted_on <= d::date AND (r.left_on IS NULL OR r.left_on > d::date)
            )
            FROM generate_series(%s::date, %s::date, interval '1 day') AS d ORDER BY d
            """,
            [home.pk, first, last],
        )
        rows = cursor.fetchall()
    capacity = home.capacity
    return [
        {"day": day, "held": held, "capacity": capacity, "over": capacity is not None and held > capacity}
        for day, held in rows
    ]


def recent_occupancy(*, home: Institution, days: int = 30) -> list[dict]:
    today = timezone.localdate()
    return occupancy_by_day(home=home, first=today - timedelta(days=days - 1), last=today)


def residence_for_page(*, user, pk: int, write: bool = False) -> Residence:
    qs = Residence.objects.select_related("institution", "case", "cwc", "transferred_from__institution")
    return access.get_or_404(qs, user, write=write, pk=pk)


def register_events(*, residence: Residence) -> list[RegisterEvent]:
    return list(residence.events.select_related("actor").order_by("on", "id"))


def where_now(*, case: Case) -> Residence | None:
    """The open stay of the case's child (the case page already checked the reader sees the case)."""
    return Residence.objects.filter(case=case, left_on__isnull=True).select_related("institution").first()


def stays_of(*, case: Case) -> list[Residence]:
    return list(Residence.objects.filter(case=case).select_related("institution").order_by("-admitted_on", "-id"))


def cwcs_for_admission(*, home: Institution) -> QuerySet[Institution]:
    """The CWCs of the home's state, its own district's first."""
    return Institution.objects.filter(kind=Institution.Kind.CWC, is_active=True, state_id=home.state_id).order_by(
        "name"
    )


def transfer_targets(*, home: Institution) -> QuerySet[Institution]:
    return (
        Institution.objects.filter(kind=Institution.Kind.CCI, is_active=True, state_id=home.state_id)
        .exclude(pk=home.pk)
        .select_related("district")
        .order_by("district__name_en", "name")
    )


def case_for_admission(*, user, case_number: str) -> Case | None:
    """A case the admitting user sees, by its number (None when there is none they see: the form says so)."""
    return Case.objects.visible_to(user).filter(case_number=case_number.strip()).select_related("child").first()


# --- the Committee's sittings and time limits ---------------------------------------------------------------------


def sittings_of(*, user, size: int = 60) -> list[CwcSitting]:
    """The latest sittings of the CWC member's own Committee, with the number of orders passed at each."""
    if not user.institution_id:
        return []
    sittings = CwcSitting.objects.filter(cwc_id=user.institution_id).annotate(order_count=Count("orders"))
    return list(sittings.order_by("-sat_on", "-id")[:size])


def deadlines_of(*, case: Case) -> list[CwcDeadline]:
    """The Committee's open and met time limits on a case the reader sees, oldest first."""
    return list(CwcDeadline.objects.filter(case=case).select_related("step").order_by("started_at", "id"))


def production_overdue(case: Case, now=None) -> bool:
    """Whether the late-production notice applies: the production is still to record and more than the limit
    (JJ Act 2015 s.31(1), rescue.services.PRODUCTION_LIMIT) has passed since the rescue. Once the production is
    recorded the notice goes; the case itself keeps whether it was late."""
    if case.status != Status.RESCUED or case.produced_at is not None:
        return False
    return (now or timezone.now()) - case.rescue.rescued_at > PRODUCTION_LIMIT


# --- missing and found children, and the review queue ------------------------------------------------------------

LIST_SIZE = 100


def missing_reports(*, user, status: str = ReportStatus.OPEN) -> list[MissingReport]:
    """The newest reports the user sees (a station its own; a district, its CWC and DCPU the district's)."""
    qs = MissingReport.objects.visible_to(user).filter(status=status).select_related("station")
    return list(qs.order_by("-reported_on", "-id")[:LIST_SIZE])


def missing_for_page(*, user, pk: int, write: bool = False) -> MissingReport:
    return access.get_or_404(MissingReport.objects.select_related("station", "district"), user, write=write, pk=pk)


def found_children(*, user) -> list[FoundChild]:
    qs = FoundChild.objects.visible_to(user).select_related("placed_in", "district")
    return list(qs.order_by("-found_on", "-id")[:LIST_SIZE])


def found_for_page(*, user, pk: int) -> FoundChild:
    return access.get_visible_or_404(FoundChild.objects.select_related("placed_in", "district"), user, pk=pk)


def pairs_of_report(*, report: MissingReport) -> list[MatchPair]:
    """The pairs raised for a report the reader sees: where the child was found, once confirmed."""
    return list(
        MatchPair.objects.filter(missing=report)
        .select_related("found", "residence__institution", "decided_by")
        .order_by("-probability", "id")
    )


def review_queue(*, user, size: int = LIST_SIZE) -> list[MatchPair]:
    """The pairs waiting for this reviewer, strongest first (the index on district, status, probability)."""
    qs = MatchPair.objects.visible_to(user).filter(status=PairStatus.PENDING)
    qs = qs.select_related("missing__station", "found", "residence__institution")
    return list(qs.order_by("-probability", "id")[:size])


def pair_for_page(*, user, pk: int, write: bool = False) -> MatchPair:
    qs = MatchPair.objects.select_related(
        "missing__station", "missing__district", "found__district", "found__placed_in", "residence__institution"
    )
    return access.get_or_404(qs, user, write=write, pk=pk)


def compared(*, pair: MatchPair) -> list[dict]:
    """Both records field by field, for the side-by-side review: label, report's value, target's value, alike."""
    missing, target = pair.missing, pair.target
    rows = []

    def row(label, one, other):
        one, other = (value.strftime("%d-%m-%Y") if isinstance(value, date) else value for value in (one, other))
        one, other = one if one not in (None, "") else "—", other if other not in (None, "") else "—"
        same = "—" not in (one, other) and str(one).strip().casefold() == str(other).strip().casefold()
        rows.append({"label": label, "missing": one, "target": other, "same": same})

    row(_("Name"), missing.name, target.name)
    row(_("Sex"), missing.get_sex_display(), target.get_sex_display())
    row(_("Age (years)"), missing.age_years, target.age_years)
    row(_("Date of birth"), missing.date_of_birth, target.date_of_birth)
    row(_("Height (cm)"), missing.height_cm, target.height_cm)
    row(_("Complexion"), missing.get_complexion_display(), target.get_complexion_display())
    row(_("Identifying marks"), missing.identifying_marks, target.identifying_marks)
    row(_("Languages spoken"), missing.languages, target.languages)
    row(_("Parent or guardian"), missing.guardian_name, target.guardian_name)
    if pair.found_id:
        row(_("Last seen / found"), missing.last_seen_place, target.found_place)
        row(_("On"), missing.last_seen_on, target.found_on)
    else:
        row(_("Last seen / in the home"), missing.last_seen_place, target.institution.name)
        row(_("On"), missing.last_seen_on, target.admitted_on)
    return rows


def photo_owner(*, user, which: str, pk: int):
    """The record whose photo the user asks for ("missing", "found", "resident"): through its own access, or, for a
    reviewer, through a pair in their queue even where the record is another district's (a report filed far away).
    403 for a role that may do neither, 404 where neither path finds it."""
    if which not in _PHOTOS:
        raise Http404
    fetch, action = _PHOTOS[which]
    reviewer = access.can(user, "match.review")
    if not access.can(user, action) and not reviewer:
        raise PermissionDenied
    if access.can(user, action):
        try:
            return fetch(user=user, pk=pk)
        except Http404:
            if not reviewer:
                raise
    return photo_through_pair(user=user, which=which, pk=pk)


def photo_through_pair(*, user, which: str, pk: int):
    """A record of a pair the reviewer sees (for its photo beside the other record's), else 404."""
    field = {"missing": "missing", "found": "found", "resident": "residence"}[which]
    pair = MatchPair.objects.visible_to(user).filter(**{f"{field}_id": pk}).select_related(field).first()
    if pair is None:
        raise Http404
    return getattr(pair, field)


_PHOTOS = {
    "missing": (missing_for_page, "missing.view"),
    "found": (found_for_page, "found.view"),
    "resident": (residence_for_page, "register.view"),
}


# --- the TrackChild exchange's log ---------------------------------------------------------------------------------


def sync_runs(size: int = 10) -> list[SyncRun]:
    return list(SyncRun.objects.order_by("-started_at", "-id")[:size])


def sync_attempts(size: int = 50) -> list[SyncAttempt]:
    """The latest attempts, newest first (ids and outcomes only: nothing of a child)."""
    return list(SyncAttempt.objects.order_by("-id")[:size])


# --- upload compliance ---------------------------------------------------------------------------------------------


def districts_for(*, user) -> list:
    """The districts a user may choose on the compliance page: every district for the state, else none (their own)."""
    from clts.geo.models import District

    if access.figures_district(user) is None:  # the whole state's figures
        return list(District.objects.order_by("name_en"))
    return []


def district_choice(*, user, value: str):
    """The district asked for, if the user may choose one (a district's users always see their own)."""
    if not value.isdigit():
        return None
    return next((district for district in districts_for(user=user) if district.pk == int(value)), None)
