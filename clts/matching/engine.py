"""The engine's public face: score records against candidates, and find a record's candidates in the registry.

Two ways in:
- `score_records(queries, candidates)`: each query record against a set of candidate records the caller chose
  (the missing/found queue scores its missing children against its found children, with their extra fields);
- `find_candidates(record, load=...)`: candidates from the registry's blocking keys (clts.matching.keys), loaded by
  the caller's `load(ids) -> list[Record]`, scored, the rejected pairs left out (registration's re-rescue check).
Both give `Scored` answers, best first, each with its probability, strength and evidence in words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import connection
from django.db.models import Q

from clts.matching import keys
from clts.matching.models import MatchModel, RejectedPair, TermFrequency
from clts.matching.records import Record
from clts.matching.scoring import POSSIBLE, STRONG, Parameters, Scored, score_pair

__all__ = ["POSSIBLE", "STRONG", "Record", "Scored", "find_candidates", "parameters", "score", "score_records"]

POOL = 60  # candidates scored per query, from the blocking keys

_cache: dict[str, Parameters] = {}


def parameters(purpose: str = "children") -> Parameters:
    """The active model of this purpose (cached per process until another is trained), or the defaults.

    Each call reads only the active model's id and calibration (one index row): the parameters and the term
    frequencies are read again only when another model is in use, the calibration when it was chosen again.
    """
    with connection.cursor() as cursor:  # plain SQL: the ORM took 2 ms of CPU to say the same, at every check
        cursor.execute(
            "SELECT id, slope, intercept, strong_threshold, shown_threshold FROM matching_matchmodel"
            " WHERE purpose = %s AND active ORDER BY id DESC LIMIT 1",
            [purpose],
        )
        row = cursor.fetchone()
    if row is None:
        return Parameters()
    model_id, calibration = row[0], tuple(row[1:])
    cached = _cache.get(purpose)
    if cached is not None and cached.model_id == model_id:
        if cached.calibration != calibration:
            # Calibrated again (training.calibrate): same counts, new probability and thresholds.
            cached = parameters_of(MatchModel.objects.get(pk=model_id), cached.tf_counts)
            _cache[purpose] = cached
        return cached
    model = MatchModel.objects.get(pk=model_id)
    counts: dict[str, dict[str, int]] = {}
    for table, word, count in TermFrequency.objects.filter(model=model).values_list("table", "word", "count"):
        counts.setdefault(table, {})[word] = count
    loaded = parameters_of(model, counts)
    _cache[purpose] = loaded
    return loaded


def parameters_of(model: MatchModel, counts: dict[str, dict[str, int]]) -> Parameters:
    return Parameters(
        m=model.parameters["m"],
        u=model.parameters["u"],
        tf_reference=model.tf_reference,
        tf_counts=counts,
        records=model.records,
        slope=model.slope,
        intercept=model.intercept,
        strong_threshold=model.strong_threshold,
        shown_threshold=model.shown_threshold,
        model_id=model.pk,
    )


def score(query: Record, candidates: Iterable[Record], *, using: Parameters | None = None) -> list[Scored]:
    """Every candidate scored against the query, best first (including those not worth showing)."""
    using = using or parameters()
    scored = [score_pair(query, candidate, using) for candidate in candidates if candidate is not query]
    scored.sort(key=lambda item: (-item.weight, -(item.record.id or 0)))
    return scored


def score_records(
    queries: Sequence[Record], candidates: Sequence[Record], *, purpose: str = "children", shown_only: bool = True
) -> list[list[Scored]]:
    """Each query against every candidate, best first; by default only candidates worth showing.

    For a set the caller chose (a queue of found children, a few dozen to a few thousand): every pair is scored,
    no blocking. Pairs rejected before (RejectedPair, by record id) are left out.
    """
    using = parameters(purpose)
    rejected = rejected_among({q.id for q in queries if q.id} | {c.id for c in candidates if c.id})
    answers = []
    for query in queries:
        scored = score(query, (c for c in candidates if not _is_rejected(rejected, query.id, c.id)), using=using)
        answers.append([item for item in scored if item.strength] if shown_only else scored)
    return answers


def find_candidates(
    record: Record,
    *,
    load: Callable[[list[int]], list[Record]],
    limit: int = 5,
    exclude: Iterable[int] = (),
    purpose: str = "children",
) -> list[Scored]:
    """The registry's children that may be this record, best first, only those worth showing (at most `limit`)."""
    excluded = set(exclude)
    if record.id:
        excluded |= rejected_with(record.id) | {record.id}
    ids = keys.candidate_ids(record, pool=POOL, exclude=excluded)
    if not ids:
        return []
    found = [item for item in score(record, load(ids), using=parameters(purpose)) if item.strength]
    return found[:limit]


def rejected_with(record_id: int) -> set[int]:
    """Records a person found to be a different child from this one."""
    pairs = RejectedPair.objects.filter(Q(child_id=record_id) | Q(other_id=record_id)).values_list(
        "child_id", "other_id"
    )
    return {other for pair in pairs for other in pair} - {record_id}


def rejected_among(ids: set[int]) -> set[tuple[int, int]]:
    if not ids:
        return set()
    return set(RejectedPair.objects.filter(child_id__in=ids, other_id__in=ids).values_list("child_id", "other_id"))


def _is_rejected(rejected: set[tuple[int, int]], one: int | None, other: int | None) -> bool:
    if not one or not other:
        return False
    return (min(one, other), max(one, other)) in rejected
