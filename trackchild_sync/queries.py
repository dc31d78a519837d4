"""Reads of trackchild_sync, always through the user's access."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from clts.accounts import access
from clts.accounts.roles import Role
from clts.orgs.models import Institution
from rescue.models import Case, Status
from rescue.services import PRODUCTION_LIMIT
from trackchild_sync.models import CwcDeadline, CwcOrder, CwcSitting, RegisterEvent, Residence


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


def current_residents(*, user, home: Institution) -> list[Residence]:
    return list(
        Residence.objects.visible_to(user)
        .filter(institution=home, left_on__isnull=True)
        .select_related("case", "cwc")
        .order_by("admitted_on", "id")
    )


def recent_leavers(*, user, home: Institution, size: int = 50) -> list[Residence]:
    return list(
        Residence.objects.visible_to(user)
        .filter(institution=home, left_on__isnull=False)
        .select_related("case")
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
