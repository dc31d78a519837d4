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
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.ages import age_on
from clts.core.db import local_settings
from clts.core.keyset import format_cursor, parse_cursor
from clts.geo.models import Block, District, State
from clts.matching import engine as matching_engine
from clts.matching.names import name_key
from clts.matching.scoring import Scored, score_pair
from rescue.models import (
    Case,
    CaseEvent,
    DuplicatePair,
    Interstate,
    LinkRequest,
    LinkRequestStatus,
    RescueOperation,
    Status,
    Transfer,
    TransferKind,
)

PAGE_SIZE = 50
SEARCH_LIMIT = 50
CASE_NUMBER = re.compile(r"^[A-Za-z]{2}-[A-Za-z]{2,4}-\d{4}-\d{1,8}$")
# The end of a case number as officers say it: the serial ("000012", "12"), or the year and serial ("2026-000012").
CASE_NUMBER_TAIL = re.compile(r"^(?:(?P<year>\d{4})-)?(?P<serial>\d{1,8})$")
SERIAL_DIGITS = 6


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
    if CASE_NUMBER.match(query):
        cases = list(_with_display(qs.filter(case_number=query.upper()))[:1])
        return CasePage(cases=cases, count=len(cases), searched=True)
    tail = CASE_NUMBER_TAIL.match(query)
    if tail:
        # The serial is zero-padded in the number; a trigram index on case_number serves the LIKE '%...'.
        ending = "-" + tail["serial"].zfill(SERIAL_DIGITS)
        if tail["year"]:
            ending = f"-{tail['year']}{ending}"
        cases = list(
            _with_display(qs.filter(case_number__endswith=ending)).order_by("-rescued_on", "-id")[:SEARCH_LIMIT]
        )
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


def case_by_number(*, user, case_number: str, related: tuple[str, ...] = ("child",), write: bool = False) -> Case:
    """One case by its number, through the user's access (404 outside it): how every app's case pages fetch it.

    `write`: for a page that changes the case or adds to it (403 where a grant only lets the user read it).
    """
    qs = Case.objects.select_related(*related)
    return access.get_or_404(qs, user, write=write, case_number=case_number)


def rescue_by_id(*, user, pk: int) -> RescueOperation:
    """One rescue operation through the user's access (seen by whoever sees one of its cases)."""
    qs = RescueOperation.objects.select_related("state", "district", "block", "created_by")
    return access.get_visible_or_404(qs, user, pk=pk)


def transfer_of_case(*, user, case_number: str, pk: int, write: bool = False) -> Transfer:
    """One transfer of one case, through the user's access (404 when either is outside it or they do not match)."""
    qs = Transfer.objects.select_related("case")
    return access.get_or_404(qs, user, write=write, pk=pk, case__case_number=case_number)


def case_for_page(*, user, case_number: str, write: bool = False) -> Case:
    """The case for its page, through the user's access (404 outside it; with `write`, 403 if it may only read)."""
    # Eight joins, not sixteen: planning a query costs more than the few small lookups of the remaining places.
    qs = Case.objects.select_related(
        "child", "rescue", "district", "home_district", "cwc", "cci", "responsible_officer", "previous_case"
    )
    return access.get_or_404(qs, user, write=write, case_number=case_number)


def timeline(*, case: Case) -> list[CaseEvent]:
    """The case's story in order. Registration comes first whatever its time: a production or an order recorded
    at registration happened earlier, but is about the case the registration made."""
    first = DbCase(When(kind=CaseEvent.Kind.REGISTERED, then=Value(0)), default=Value(1))
    return list(case.events.select_related("actor").order_by(first, "at", "id"))


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


def transfers_outgoing(*, user) -> QuerySet[Transfer]:
    """District transfers the user's district has sent and the receiving district has not yet acknowledged."""
    if user.is_state_wide or not user.district_id:
        return Transfer.objects.none()
    return (
        Transfer.objects.visible_to(user)
        .filter(kind=TransferKind.DISTRICT, completed_at__isnull=True, from_district_id=user.district_id)
        .select_related("case", "from_district", "to_district")
        .order_by("-initiated_at", "-id")
    )


def receives_transfer(user, transfer: Transfer) -> bool:
    """Whether the user acts for the district a transfer goes to (the one that acknowledges receipt)."""
    return user.is_state_wide or (user.district_id is not None and user.district_id == transfer.to_district_id)


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


# --- Link requests ---------------------------------------------------------------------------------------------

# What the holder of an earlier record may copy onto it from the new record, field by field (each a group of
# model attributes that change together).
LINK_UPDATABLE: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "alias": ("alias",),
    "sex": ("sex",),
    "date_of_birth": ("date_of_birth",),
    "father_name": ("father_name",),
    "mother_name": ("mother_name",),
    "guardian_name": ("guardian_name", "guardian_relation"),
    "home": ("home_state", "home_district", "home_block", "home_village"),
    "home_village_text": ("home_village_text",),
    "home_address": ("home_address",),
    "languages": ("languages",),
    "disability": ("disability",),
    "aadhaar": ("aadhaar_last4", "aadhaar_hash"),
    "photo": ("photo",),
}


@dataclass
class ComparedField:
    field: str
    label: str
    new: str
    earlier: str
    differs: bool
    updatable: bool


def _place(child) -> str:
    parts = [child.home_block, child.home_district, child.home_state]
    return ", ".join(str(part) for part in parts if part is not None)


def _guardian(child) -> str:
    if child.guardian_name and child.guardian_relation:
        return f"{child.guardian_name} ({child.guardian_relation})"
    return child.guardian_name


def _aadhaar(child) -> str:
    return f"XXXX XXXX {child.aadhaar_last4}" if child.aadhaar_last4 else ""


def link_differences(*, new, earlier, on: date) -> list[ComparedField]:
    """The two records side by side, field by field, each marked when the two differ."""

    def row(name: str, label, new_value, earlier_value, *, differs: bool | None = None, updatable: bool = True):
        new_text, earlier_text = str(new_value or ""), str(earlier_value or "")
        if differs is None:
            differs = new_text.strip().casefold() != earlier_text.strip().casefold()
        return ComparedField(
            name, str(label), new_text, earlier_text, differs, updatable and differs and bool(new_text)
        )

    earlier_case = earlier.cases.order_by("-rescued_on", "-id").first()
    new_case = new.cases.order_by("-rescued_on", "-id").first()
    new_age = new_case.age_at_rescue if new_case else new.age_years
    if earlier_case is not None:
        earlier_age = earlier_case.age_on(on)
    else:
        earlier_age = age_on(on, born=earlier.date_of_birth, age=earlier.age_years)
    return [
        row("name", _("Name"), new.name, earlier.name),
        row("alias", _("Alias or other name"), new.alias, earlier.alias),
        row("sex", _("Sex"), new.get_sex_display(), earlier.get_sex_display()),
        row("age", _("Age at the new rescue"), new_age, earlier_age, updatable=False),
        row("date_of_birth", _("Date of birth"), new.date_of_birth or "", earlier.date_of_birth or ""),
        row("father_name", _("Father's name"), new.father_name, earlier.father_name),
        row("mother_name", _("Mother's name"), new.mother_name, earlier.mother_name),
        row("guardian_name", _("Guardian"), _guardian(new), _guardian(earlier)),
        row("home", _("Home (block, district, state)"), _place(new), _place(earlier)),
        row("home_village_text", _("Village"), new.home_village_text, earlier.home_village_text),
        row("home_address", _("Home address"), new.home_address, earlier.home_address),
        row("languages", _("Languages spoken"), new.languages, earlier.languages),
        row("disability", _("Disability"), new.disability, earlier.disability),
        row(
            "aadhaar",
            _("Aadhaar"),
            _aadhaar(new),
            _aadhaar(earlier),
            differs=bool(new.aadhaar_hash or earlier.aadhaar_hash) and new.aadhaar_hash != earlier.aadhaar_hash,
        ),
        row(
            "photo",
            _("Photo"),
            _("Photo") if new.photo else "",
            _("Photo") if earlier.photo else "",
            differs=bool(new.photo) and new.photo.name != earlier.photo.name,
        ),
    ]


def link_comparison(*, link: LinkRequest) -> list[ComparedField]:
    return link_differences(new=link.new_case.child, earlier=link.earlier_child, on=link.new_case.rescued_on)


def link_request_queue(*, user, size: int = 200) -> list[LinkRequest]:
    """Requests the user's district holds, pending first (oldest first: the longest waiting), then lately decided."""
    qs = LinkRequest.objects.visible_to(user).select_related(
        "new_case__district", "earlier_case__district", "earlier_case__home_district", "filed_by"
    )
    pending = list(qs.filter(status=LinkRequestStatus.PENDING).order_by("filed_at", "id")[:size])
    decided = list(qs.exclude(status=LinkRequestStatus.PENDING).order_by("-decided_at", "-id")[:20])
    return pending + decided


def link_request_for_page(*, user, pk: int) -> LinkRequest:
    qs = LinkRequest.objects.select_related(
        "new_case__child__home_state",
        "new_case__child__home_district",
        "new_case__child__home_block",
        "new_case__district",
        "new_case__rescue",
        "earlier_child__home_state",
        "earlier_child__home_district",
        "earlier_child__home_block",
        "earlier_case__district",
        "earlier_case__home_district",
        "filed_by",
        "decided_by",
    )
    return access.get_visible_or_404(qs, user, pk=pk)


def link_request_for_decision(*, user, pk: int) -> LinkRequest:
    """A request fetched to be decided: 404 outside the user's scope, 403 where they may only read it."""
    return access.get_writable_or_404(LinkRequest.objects.select_related("new_case__child"), user, pk=pk)


def link_requests_of_case(*, case: Case) -> list[LinkRequest]:
    """What the officers of the new case may know of its link requests: status and dates, nothing of the earlier
    record (the caller shows only `status`, `filed_at` and `decided_at`)."""
    return list(case.link_requests.only("status", "filed_at", "decided_at", "new_case_id").order_by("filed_at", "id"))


def duplicate_queue(*, user, size: int = 200) -> list[DuplicatePair]:
    """Pairs the nightly pass found for the user's district: pending first (most certain first), then decided lately."""
    qs = DuplicatePair.objects.visible_to(user).select_related("case__district", "earlier_case")
    pending = list(qs.filter(status=LinkRequestStatus.PENDING).order_by("-probability", "found_at", "id")[:size])
    decided = list(qs.exclude(status=LinkRequestStatus.PENDING).order_by("-decided_at", "-id")[:20])
    return pending + decided


def duplicate_for_page(*, user, pk: int) -> DuplicatePair:
    qs = DuplicatePair.objects.select_related(
        "child__home_state",
        "child__home_district",
        "child__home_block",
        "earlier_child__home_state",
        "earlier_child__home_district",
        "earlier_child__home_block",
        "case__district",
        "earlier_case__home_district",
        "decided_by",
    )
    return access.get_visible_or_404(qs, user, pk=pk)


def duplicate_for_decision(*, user, pk: int) -> DuplicatePair:
    """A pair fetched to be decided: 404 outside the user's scope, 403 where they may only read it."""
    return access.get_writable_or_404(DuplicatePair.objects.all(), user, pk=pk)


def duplicate_comparison(*, pair: DuplicatePair) -> list[ComparedField]:
    return link_differences(new=pair.child, earlier=pair.earlier_child, on=pair.case.rescued_on)


def duplicate_evidence(*, pair: DuplicatePair) -> Scored:
    """The engine's answer on the pair as the records stand now: its probability and the evidence in words."""
    from rescue.match_records import records

    found = {record.id: record for record in records([pair.child_id, pair.earlier_child_id])}
    return score_pair(found[pair.child_id], found[pair.earlier_child_id], matching_engine.parameters())
