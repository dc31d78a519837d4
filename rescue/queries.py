"""Reads of the rescue app: the case list with keyset pagination, search, the case page, and state figures.

Every read of personal data starts from `visible_to(user)`. Long lists page by keyset on (rescued_on, id),
newest first, so the 200th page costs what the first does; a long list is never counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.contrib.postgres.search import TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.db import local_settings
from clts.core.keyset import format_cursor, parse_cursor
from clts.geo.models import Block, District, State
from rescue.models import Case, CaseEvent, Interstate, RescueOperation, Status, Transfer, TransferKind

PAGE_SIZE = 50
SEARCH_LIMIT = 50
CASE_NUMBER = re.compile(r"^[A-Za-z]{2}-[A-Za-z]{2,4}-\d{4}-\d{1,8}$")


def home_state() -> State:
    """The state this deployment serves (settings.HOME_STATE, an LGD code)."""
    try:
        return State.objects.get(lgd_code=settings.HOME_STATE)
    except State.DoesNotExist:
        raise ValidationError(
            _("The home state (LGD code %(code)s) is not loaded; run the load_lgd command.")
            % {"code": settings.HOME_STATE}
        ) from None


@dataclass
class CaseFilters:
    district: District | None = None
    block: Block | None = None
    status: str = ""
    since: date | None = None
    until: date | None = None
    interstate: str = ""
    late: bool = False
    retrafficked: bool = False
    transfer_pending: bool = False
    q: str = ""
    similar: bool = False  # also similar spellings (pg_trgm), not only the folded name


@dataclass
class CasePage:
    cases: list[Case]
    next_cursor: str = ""
    previous_cursor: str = ""
    count: int = 0
    count_capped: bool = False
    searched: bool = False
    extra: dict = field(default_factory=dict)


def filtered_cases(*, user, filters: CaseFilters) -> QuerySet[Case]:
    """The cases the user may see, narrowed by the list's filters (no ordering, no search)."""
    qs = Case.objects.visible_to(user)
    if filters.district is not None:
        qs = qs.filter(Q(district=filters.district) | Q(home_district=filters.district))
    if filters.block is not None:
        qs = qs.filter(Q(block=filters.block) | Q(home_block=filters.block))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.since:
        qs = qs.filter(rescued_on__gte=filters.since)
    if filters.until:
        qs = qs.filter(rescued_on__lte=filters.until)
    if filters.interstate == "any":
        qs = qs.exclude(interstate=Interstate.NONE)
    elif filters.interstate:
        qs = qs.filter(interstate=filters.interstate)
    if filters.late:
        qs = qs.filter(production_late=True)
    if filters.retrafficked:
        # The earlier case marked re-trafficked, and the new case of the child rescued again.
        qs = qs.filter(Q(status=Status.RETRAFFICKED) | Q(previous_case__isnull=False))
    if filters.transfer_pending:
        qs = qs.filter(Exists(Transfer.objects.filter(case=OuterRef("pk"), completed_at__isnull=True)))
    return qs


def _with_display(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("child", "district", "home_district", "block").only(
        "case_number",
        "rescued_on",
        "status",
        "category",
        "age_at_rescue",
        "interstate",
        "production_late",
        "previous_case_id",
        "child__name",
        "child__sex",
        "district__name_en",
        "district__name_hi",
        "home_district__name_en",
        "home_district__name_hi",
        "block__name_en",
        "block__name_hi",
    )


def case_list(*, user, filters: CaseFilters, after: str = "", before: str = "", size: int = PAGE_SIZE) -> CasePage:
    """One page of the case list, newest rescue first; `after`/`before` are cursors from an earlier page.

    No total is counted: counting a district's tens of thousands of cases costs more than the page itself.
    """
    qs = filtered_cases(user=user, filters=filters)
    query = filters.q.strip()
    if query:
        return _search(qs, query, similar=filters.similar)
    page_qs = _with_display(qs)
    start_after, end_before = parse_cursor(after), parse_cursor(before)
    if end_before:
        day, pk = end_before
        rows = list(
            page_qs.filter(rescued_on__gte=day)
            .filter(Q(rescued_on__gt=day) | Q(rescued_on=day, pk__gt=pk))
            .order_by("rescued_on", "id")[: size + 1]
        )
        more_before = len(rows) > size
        cases = list(reversed(rows[:size]))
        more_after = True
    else:
        if start_after:
            day, pk = start_after
            page_qs = page_qs.filter(rescued_on__lte=day).filter(Q(rescued_on__lt=day) | Q(rescued_on=day, pk__lt=pk))
        rows = list(page_qs.order_by("-rescued_on", "-id")[: size + 1])
        more_after = len(rows) > size
        cases = rows[:size]
        more_before = start_after is not None
    return CasePage(
        cases=cases,
        next_cursor=format_cursor(cases[-1].rescued_on, cases[-1].pk) if cases and more_after else "",
        previous_cursor=format_cursor(cases[0].rescued_on, cases[0].pk) if cases and more_before else "",
        count=len(cases),
    )


# A name search first takes the children whose folded name key starts with the folded query (this already
# matches Mohd/Mohammad, Laxmi/Lakshmi, Devanagari/Latin); when that finds nothing, or when asked for similar
# spellings, it also looks for similar keys through pg_trgm, which tolerates typing errors.
SEARCH_SIMILARITY = 0.5


def _search(qs: QuerySet[Case], query: str, *, similar: bool = False) -> CasePage:
    """By case number (exact), else by name: folded key first, then pg_trgm similarity, best first."""
    from rescue.matching import name_key

    if CASE_NUMBER.match(query):
        cases = list(_with_display(qs.filter(case_number=query.upper()))[:1])
        return CasePage(cases=cases, count=len(cases), searched=True)
    key = name_key(query)
    if len(key) < 2:
        return CasePage(cases=[], searched=True)
    rows = list(_with_display(qs).filter(child__name_key__startswith=key).order_by("-rescued_on", "-id")[:SEARCH_LIMIT])
    if (similar or not rows) and len(key) >= 3:
        # The % operator's threshold, for this query only: fewer, closer candidates from the trigram index.
        with local_settings(pg_trgm__similarity_threshold=SEARCH_SIMILARITY):
            alike = list(
                _with_display(qs)
                .filter(child__name_key__trigram_similar=key)
                .exclude(pk__in=[case.pk for case in rows])
                .annotate(similarity=TrigramSimilarity("child__name_key", key))
                .order_by("-similarity", "-rescued_on", "-id")[: SEARCH_LIMIT - len(rows)]
            )
        rows += alike
    return CasePage(cases=rows, count=len(rows), searched=True, count_capped=len(rows) >= SEARCH_LIMIT)


def case_by_number(*, user, case_number: str, related: tuple[str, ...] = ("child",)) -> Case:
    """One case by its number, through the user's access (404 outside it): how every app's case pages fetch it."""
    return access.get_visible_or_404(Case.objects.select_related(*related), user, case_number=case_number)


def rescue_by_id(*, user, pk: int) -> RescueOperation:
    """One rescue operation through the user's access (seen by whoever sees one of its cases)."""
    qs = RescueOperation.objects.select_related("state", "district", "block", "created_by")
    return access.get_visible_or_404(qs, user, pk=pk)


def transfer_of_case(*, user, case_number: str, pk: int) -> Transfer:
    """One transfer of one case, through the user's access (404 when either is outside it or they do not match)."""
    return access.get_visible_or_404(
        Transfer.objects.select_related("case"), user, pk=pk, case__case_number=case_number
    )


def case_for_page(*, user, case_number: str) -> Case:
    """The case for its page, through the user's access (404 outside it)."""
    # Eight joins, not sixteen: planning a query costs more than the few small lookups of the remaining places.
    qs = Case.objects.select_related(
        "child", "rescue", "district", "home_district", "cwc", "cci", "responsible_officer", "previous_case"
    )
    return access.get_visible_or_404(qs, user, case_number=case_number)


def timeline(*, case: Case) -> list[CaseEvent]:
    return list(case.events.select_related("actor").order_by("at", "id"))


def transfers_of(*, case: Case) -> list[Transfer]:
    return list(
        case.transfers.select_related(
            "from_state", "from_district", "to_state", "to_district", "home_cwc", "initiated_by", "acknowledged_by"
        ).order_by("initiated_at", "id")
    )


def transfers_awaiting(*, user) -> QuerySet[Transfer]:
    """District transfers the user's district must acknowledge (pending, newest first)."""
    qs = Transfer.objects.visible_to(user).filter(kind=TransferKind.DISTRICT, completed_at__isnull=True)
    if not user.is_state_wide:
        qs = qs.filter(to_district_id=user.district_id)
    return qs.select_related("case", "from_district", "to_district").order_by("-initiated_at", "-id")


def movements_in_progress(*, user) -> QuerySet[Transfer]:
    """Repatriations and handovers not yet completed, oldest first (the ones to chase)."""
    return (
        Transfer.objects.visible_to(user)
        .filter(kind__in=[TransferKind.REPATRIATION, TransferKind.HANDOVER], completed_at__isnull=True)
        .select_related("case", "from_state", "to_state", "from_district", "to_district")
        .order_by("initiated_at", "id")
    )


def cases_of_rescue(*, user, rescue) -> list[Case]:
    return list(
        Case.objects.visible_to(user).filter(rescue=rescue).select_related("child", "home_district").order_by("id")
    )


def later_cases(*, user, case: Case) -> list[Case]:
    """Cases of the same child after this one, as far as the user may see them."""
    return list(Case.objects.visible_to(user).filter(previous_case=case).only("case_number", "rescued_on"))


# --- Figures for dashboards (counts only; the reports layer suppresses small ones) --------------------------


def retrafficking_rate(*, user, since: date | None = None, until: date | None = None) -> dict:
    """Of the cases restored to the family (in the period, by restoration date), how many were re-trafficked.

    Returns {"restored": n, "retrafficked": m, "rate": percent as Decimal with one decimal, or None}.
    """
    qs = Case.objects.visible_to(user).filter(restored_at__isnull=False)
    if since:
        qs = qs.filter(restored_at__date__gte=since)
    if until:
        qs = qs.filter(restored_at__date__lte=until)
    figures = qs.aggregate(
        restored=Count("pk"),
        retrafficked=Count("pk", filter=Q(status=Status.RETRAFFICKED)),
    )
    rate = None
    if figures["restored"]:
        rate = (Decimal(100) * figures["retrafficked"] / figures["restored"]).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
    return figures | {"rate": rate}
