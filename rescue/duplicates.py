"""The nightly state-wide duplicate pass: children registered twice, found by the matching engine, for review.

Every pair of children that share a small blocking key of a kind a duplicate keeps (at most PAIR_GROUP_CAP children
hold it) is scored; pairs
above the engine's strong threshold go to the review queue (DuplicatePair) of the district holding the earlier
record. Pairs already in the queue, already linked (one's case follows the other's), or rejected by a person
(clts.matching RejectedPair) are not raised again. One pass at a time (a PostgreSQL advisory lock), and a repeated
pass only adds what is new: the queue's unique pair makes it idempotent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from clts.matching import engine, keys
from clts.matching.models import RejectedPair
from clts.matching.scoring import score_pair
from rescue import match_records
from rescue.models import Case, DuplicatePair

PAIR_GROUP_CAP = 30  # a key more children share brings namesakes, not duplicates
# The kinds of blocking key pairs are made from (clts.matching.keys): those that carry the child's own name.
# Keys of the family alone (a parent's word with the village or the year) would bring every brother and sister.
PAIR_KINDS = ("a", "s", "nd", "ny", "nv", "np")
# Shared keys of those kinds a pair needs. On the synthetic registry with 495 children registered twice (25,000
# children): two keys scored 34,651 pairs and queued 423 true duplicates (and 31 others); one key scored eight
# times as many pairs for 438 (and 39 others).
MIN_SHARED_KEYS = 2
BATCH = 20_000  # pairs scored per batch
RECORD_CACHE = 300_000  # records kept between batches
LOCK = 0x434C54530C  # the pass's advisory lock ("CLTS" 12)


@dataclass
class PassResult:
    pairs_scored: int = 0
    raised: int = 0
    seconds: float = 0.0
    ran: bool = True

    @property
    def pairs_per_second(self) -> float:
        return self.pairs_scored / self.seconds if self.seconds else 0.0


def _candidate_pairs(cursor) -> None:
    """Fill a temporary table with the pairs worth scoring: children sharing two small keys of the kinds that a
    child registered twice keeps (PAIR_KINDS)."""
    ranges = [keys.kind_range(kind) for kind in PAIR_KINDS]
    kinds = " OR ".join("key BETWEEN %s AND %s" for _ in ranges)
    cursor.execute("DROP TABLE IF EXISTS duplicate_candidates")  # a pass inside an outer transaction (tests)
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE duplicate_candidates ON COMMIT DROP AS
        WITH small AS (
            SELECT key FROM childmatchkey WHERE {kinds} GROUP BY key HAVING count(*) BETWEEN 2 AND %s
        )
        SELECT a.child_id AS one, b.child_id AS other
        FROM small
        JOIN childmatchkey a ON a.key = small.key
        JOIN childmatchkey b ON b.key = small.key AND b.child_id > a.child_id
        GROUP BY a.child_id, b.child_id
        HAVING count(*) >= %s
        """,  # noqa: S608  (the kinds are this module's constants)
        [bound for pair in ranges for bound in pair] + [PAIR_GROUP_CAP, MIN_SHARED_KEYS],
    )


def duplicate_pass() -> PassResult:
    """Score every candidate pair of the registry and queue the strong ones; skips if a pass is running."""
    started = time.perf_counter()
    result = PassResult()
    parameters = engine.parameters()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK])
        if not cursor.fetchone()[0]:
            return PassResult(ran=False)
        _candidate_pairs(cursor)
        cursor.execute("SELECT one, other FROM duplicate_candidates ORDER BY one, other")
        cache: dict[int, object] = {}
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            result.pairs_scored += len(rows)
            result.raised += _score_batch(rows, parameters, cache)
    result.seconds = time.perf_counter() - started
    return result


def _score_batch(rows: list[tuple[int, int]], parameters, cache: dict) -> int:
    """Score one batch of pairs; records are kept between batches (most children come back in several pairs)."""
    missing = list({child_id for pair in rows for child_id in pair if child_id not in cache})
    if len(cache) + len(missing) > RECORD_CACHE:
        cache.clear()
        missing = list({child_id for pair in rows for child_id in pair})
    for start in range(0, len(missing), 5000):
        cache.update((record.id, record) for record in match_records.records(missing[start : start + 5000]))
    strong = []
    for one, other in rows:
        if one in cache and other in cache:
            scored = score_pair(cache[one], cache[other], parameters)
            if scored.strength == engine.STRONG:
                strong.append((one, other, scored.probability))
    return _raise(strong) if strong else 0


def _raise(strong: list[tuple[int, int, float]]) -> int:
    """Queue the strong pairs not already queued, linked or rejected; returns how many were queued."""
    ids = {child_id for one, other, _p in strong for child_id in (one, other)}
    rejected = set(RejectedPair.objects.filter(child_id__in=ids, other_id__in=ids).values_list("child_id", "other_id"))
    queued = set(
        DuplicatePair.objects.filter(child_id__in=ids, earlier_child_id__in=ids).values_list(
            "earlier_child_id", "child_id"
        )
    )
    latest: dict[int, Case] = {
        case.child_id: case
        for case in Case.objects.filter(child_id__in=ids)
        .order_by("child_id", "-rescued_on", "-id")
        .distinct("child_id")
    }
    linked = set(
        Case.objects.filter(child_id__in=ids, previous_case__child_id__in=ids).values_list(
            "previous_case__child_id", "child_id"
        )
    )
    now = timezone.now()
    new = []
    for one, other, probability in strong:
        if one not in latest or other not in latest or (one, other) in rejected:
            continue
        # The earlier record is the one whose latest rescue came first.
        first, second = sorted((one, other), key=lambda pk: (latest[pk].rescued_on, pk))
        if (first, second) in queued or (first, second) in linked or (second, first) in linked:
            continue
        new.append(
            DuplicatePair(
                child_id=second,
                case=latest[second],
                earlier_child_id=first,
                earlier_case=latest[first],
                probability=probability,
                found_at=now,
            )
        )
    created = DuplicatePair.objects.bulk_create(new, ignore_conflicts=True)
    return len(created)
