"""Earlier records that may be the child being registered, as the officer may see them, and what choosing one does.

The matching engine answers "who may this be?" across the whole state, because a child rescued again is usually
rescued far from home. This module decides what the officer is shown of each answer:
- a candidate whose latest case the officer may change is shown in full, and choosing it links the new case to it;
- one they may read but not change (a case shared with them) is shown in full, and choosing it files a link request;
- one outside their area is shown only as "a possible earlier record in another area" with its strength: no
  name, case number, date, district, evidence or record id. Choosing it files a link request that the district
  holding the earlier case decides.
In the form a candidate is named by a token bound to the officer's sign-in, never by its record id, and the
server finds the candidate again among its own answers before acting on a choice.

The matching engine (clts.matching, through `_engine_candidates`) gives, per earlier child, a calibrated probability
(kept as the score, in percent), whether it is strong, and the evidence in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.crypto import salted_hmac

from clts.matching import engine
from rescue import match_records, matching
from rescue.models import Case, Child, LinkRequest, LinkRequestStatus, LinkStrength


@dataclass
class Candidate:
    """One earlier record that may be this child, and what this officer may see and do with it."""

    child: Child
    latest_case: Case
    strength: str  # LinkStrength
    score: float  # on the engine's own scale; shown to nobody outside the record's area
    evidence: list[str] = field(default_factory=list)
    visible: bool = False  # the officer may see the earlier record (its latest case is in their scope)
    linkable: bool = False  # the officer may change it: choosing it links; otherwise choosing files a request
    token: str = ""

    @property
    def is_strong(self) -> bool:
        return self.strength == LinkStrength.STRONG


def token_for(user, child_id: int) -> str:
    """The name of one candidate in this officer's form: unguessable, and new at every sign-in."""
    value = f"{user.pk}:{user.last_login and user.last_login.isoformat()}:{child_id}"
    return salted_hmac("rescue.candidates.token", value).hexdigest()[:24]


def is_token(value: str) -> bool:
    return len(value) == 24 and all(char in "0123456789abcdef" for char in value)


def _engine_candidates(
    particulars: matching.Particulars, *, user, limit: int, excluded: set[int] | frozenset[int] = frozenset()
) -> list[Candidate]:
    found = engine.find_candidates(
        matching.record_of(particulars), load=match_records.records, limit=limit, exclude=excluded
    )
    # Each candidate's latest case (the loader found its id) with its child, in one query.
    cases = Case.objects.select_related("child", "home_district", "district").in_bulk(
        [item.record.extra["latest_case"] for item in found if item.record.extra.get("latest_case")]
    )
    latest = {case.child_id: case for case in cases.values()}
    return [
        Candidate(
            child=latest[item.record.id].child,
            latest_case=latest[item.record.id],
            strength=LinkStrength.STRONG if item.strength == engine.STRONG else LinkStrength.POSSIBLE,
            score=round(100 * item.probability, 1),
            evidence=item.evidence,
        )
        for item in found
        # A child without a case is held by no district: nobody could decide a request about it.
        if item.record.id in latest
    ]


def paired_children(child: Child) -> set[int]:
    """Children already decided or asked about together with this one (a pair is never raised twice)."""
    pairs = LinkRequest.objects.filter(Q(new_case__child=child) | Q(earlier_child=child)).values_list(
        "new_case__child_id", "earlier_child_id"
    )
    linked = Case.objects.filter(
        Q(later_cases__child=child) | Q(previous_case__child=child), ~Q(child=child)
    ).values_list("child_id", flat=True)
    return {pk for pair in pairs for pk in pair} | set(linked) | {child.pk}


def candidates_for(
    *, particulars: matching.Particulars, user, child: Child | None = None, limit: int = 5
) -> list[Candidate]:
    """Earlier records that may be this child, best first, with what the officer may see and do.

    `child`: the record being matched when it exists already; records linked with it, or rejected or asked about
    as a pair with it, are left out. Among new particulars, a record outside the officer's area that a holder has
    already found to be a different child from one of the officer's own candidates scoring as well is left out too:
    the pair was decided once.
    """
    excluded = paired_children(child) if child is not None else set()
    found = _engine_candidates(particulars, user=user, limit=limit + 5, excluded=excluded)
    case_ids = [candidate.latest_case.pk for candidate in found]
    visible = set(Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True))
    # What an officer may change they may see: none seen (a registration whose candidates are all elsewhere), none
    # to ask about.
    writable = (
        set(Case.objects.writable_by(user).filter(pk__in=visible).values_list("pk", flat=True)) if visible else set()
    )
    for candidate in found:
        candidate.visible = candidate.latest_case.pk in visible
        candidate.linkable = candidate.latest_case.pk in writable
        candidate.token = token_for(user, candidate.child.pk)
    return _without_decided_pairs(found)[:limit]


def _without_decided_pairs(found: list[Candidate]) -> list[Candidate]:
    outside = [candidate for candidate in found if not candidate.visible]
    seen = [candidate for candidate in found if candidate.visible]
    if not outside or not seen:  # nothing to compare an outside record with
        return found
    rejected = LinkRequest.objects.filter(
        status=LinkRequestStatus.REJECTED,
        earlier_child__in=[candidate.child for candidate in outside],
        new_case__child__in=[candidate.child for candidate in seen],
    ).values_list("earlier_child_id", "new_case__child_id")
    score = {candidate.child.pk: candidate.score for candidate in found}
    dropped = {earlier for earlier, own in rejected if score[own] >= score[earlier]}
    return [candidate for candidate in found if candidate.child.pk not in dropped]


def chosen(candidates: list[Candidate], *, token: str = "", child: Child | None = None) -> Candidate | None:
    """The candidate the officer chose, found again among the server's own answers (None if it is not there)."""
    for candidate in candidates:
        if (token and candidate.token == token) or (child is not None and candidate.child.pk == child.pk):
            return candidate
    return None
