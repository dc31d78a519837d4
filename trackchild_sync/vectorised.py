"""The nightly pass's scoring, vectorised over pairs: the engine's own model, worked out once per distinct value.

`engine.score` takes one pair at a time in Python (about 4,000 pairs a second on this machine), too slow for the
five million pairs of 100,000 reports against 100,000 found children and residents. Here the same sum of weights
is computed over arrays of pairs (numpy):
- each comparison that reads words or codes (name, parents, place, sex, Aadhaar, marks, languages, place last seen)
  is run by the engine's own comparison once per distinct pair of the values it reads (a million pairs of names
  are a few thousand distinct pairs of name-word sets), and the weight, term-frequency adjustment included, is
  spread back over the pairs;
- age and height, which read numbers, are compared over the arrays with the engine's limits;
- a comparison this module does not know (the engine has gained one) is run pair by pair, so the sum stays whole.
Only the pairs the sum makes worth showing are scored again by `engine.score`: their probability, strength and
evidence are the engine's own, as in the pair-by-pair path. `tests/trackchild_sync/test_vectorised.py` checks that
both give the same weight on varied records, so a change in the engine that this module missed fails there.

Candidates are chosen set-based too: one statement per batch of reports ranks the records sharing their blocking
keys as `matching._candidates` does (each key counting 1 / the records read for it, at most KEY_CAP per key) and
returns only the best POOL of each report.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from django.db import connection

from clts.matching import keys
from clts.matching.comparisons import COMPARISONS
from clts.matching.records import DAYS_PER_YEAR, Record
from clts.matching.scoring import Parameters

# The values each word or code comparison reads from a record (the engine's comparisons.py).
SIGNATURES: dict[str, Callable[[Record], object]] = {
    "name": lambda record: record.name_words,
    "parent": lambda record: record.parents,
    "place": lambda record: (record.district_id, record.block_id, record.village_words),
    "sex": lambda record: record.sex,
    "aadhaar": lambda record: record.aadhaar_hash,
    "marks": lambda record: record.mark_words,
    "languages": lambda record: record.language_set,
    "last_place": lambda record: record.place_words,
}
# Age levels: years between the two estimated dates of birth, at most (comparisons.compare_age).
AGE_LIMITS = (1.1, 2.1, 3.5)


class Side:
    """One side of the pairs (the reports, or the found children and residents): per-record codes and numbers."""

    def __init__(self, records: Sequence[Record]):
        self.records = list(records)
        self.codes: dict[str, np.ndarray] = {}
        self.representatives: dict[str, list[Record]] = {}
        for name, signature in SIGNATURES.items():
            seen: dict[object, int] = {}
            representatives: list[Record] = []
            codes = np.empty(len(self.records), dtype=np.int64)
            for row, record in enumerate(self.records):
                value = signature(record)
                code = seen.get(value)
                if code is None:
                    code = seen[value] = len(representatives)
                    representatives.append(record)
                codes[row] = code
            self.codes[name] = codes
            self.representatives[name] = representatives
        self.born = _days([record.birth_estimate for record in self.records])
        self.height = np.array([record.height_cm or np.nan for record in self.records], dtype=np.float64)
        self.measured_on = _days([record.place_on or record.on for record in self.records])


def _days(dates) -> np.ndarray:
    return np.array([day.toordinal() if day else np.nan for day in dates], dtype=np.float64)


def _word_weights(
    name: str, queries: Side, targets: Side, q: np.ndarray, t: np.ndarray, using: Parameters, seen: dict | None
):
    """The comparison's bits for each pair, the engine's comparison run once per distinct pair of values (`seen`
    keeps them from one batch to the next when the same two Sides are scored again)."""
    comparison = next(c for c in COMPARISONS if c.name == name)
    width = len(targets.representatives[name])
    combined = queries.codes[name][q] * width + targets.codes[name][t]
    distinct, back = np.unique(combined, return_inverse=True)
    bits = np.zeros(len(distinct), dtype=np.float64)
    known = {} if seen is None else seen.setdefault(name, {})
    for row, value in enumerate(distinct.tolist()):
        weight = known.get(value)
        if weight is None:
            weight = known[value] = _bits(comparison, using, queries, targets, name, value, width)
        bits[row] = weight
    return bits[back.reshape(-1)]


def _bits(comparison, using: Parameters, queries: Side, targets: Side, name: str, value: int, width: int) -> float:
    level, words = comparison.compare(
        queries.representatives[name][value // width], targets.representatives[name][value % width]
    )
    if level is None:
        return 0.0
    described = comparison.levels[level]
    weight = using.weights[name][level]
    if described.tf:
        weight += using.tf_adjustment(described.tf, words)
    return weight


def _level_weights(name: str, levels: np.ndarray, known: np.ndarray, using: Parameters) -> np.ndarray:
    table = np.array(using.weights[name], dtype=np.float64)
    return np.where(known, table[np.where(known, levels, 0)], 0.0)


def _age(queries: Side, targets: Side, q: np.ndarray, t: np.ndarray, using: Parameters) -> np.ndarray:
    one, other = queries.born[q], targets.born[t]
    known = ~(np.isnan(one) | np.isnan(other))
    years = np.abs(one - other) / DAYS_PER_YEAR
    levels = np.full(len(q), len(AGE_LIMITS), dtype=np.int64)
    for level, limit in reversed(list(enumerate(AGE_LIMITS))):
        levels = np.where(years <= limit, level, levels)
    return _level_weights("age", levels, known, using)


def _height(queries: Side, targets: Side, q: np.ndarray, t: np.ndarray, using: Parameters) -> np.ndarray:
    one, other = queries.height[q], targets.height[t]
    known = ~(np.isnan(one) | np.isnan(other))
    first, second = queries.measured_on[q], targets.measured_on[t]
    both_dated = ~(np.isnan(first) | np.isnan(second))
    # Children grow: up to about 6 cm a year between the two dates, on top of 5 cm of measuring by eye.
    tolerance = 5 + np.where(both_dated, 6 * np.abs(first - second) / DAYS_PER_YEAR, 0.0)
    difference = np.abs(one - other)
    levels = np.where(difference <= tolerance, 0, np.where(difference <= 2 * tolerance, 1, 2))
    return _level_weights("height", levels, known, using)


NUMERIC = {"age": _age, "height": _height}


def weights(
    queries: Side, targets: Side, q: np.ndarray, t: np.ndarray, using: Parameters, *, seen: dict | None = None
) -> np.ndarray:
    """The engine's weight (bits of evidence) of each pair (queries.records[q[i]], targets.records[t[i]]).
    `seen`: a dict kept by the caller across calls on the same Sides and parameters (the distinct pairs compared)."""
    total = np.zeros(len(q), dtype=np.float64)
    if not len(q):
        return total
    for comparison in COMPARISONS:
        if comparison.name in SIGNATURES:
            total += _word_weights(comparison.name, queries, targets, q, t, using, seen)
        elif comparison.name in NUMERIC:
            total += NUMERIC[comparison.name](queries, targets, q, t, using)
        else:
            total += _pair_by_pair(comparison, queries, targets, q, t, using)
    return total


def _pair_by_pair(comparison, queries: Side, targets: Side, q, t, using: Parameters) -> np.ndarray:
    bits = np.zeros(len(q), dtype=np.float64)
    for row, (i, j) in enumerate(zip(q.tolist(), t.tolist(), strict=True)):
        level, words = comparison.compare(queries.records[i], targets.records[j])
        if level is not None:
            described = comparison.levels[level]
            bits[row] = using.weights[comparison.name][level] + (
                using.tf_adjustment(described.tf, words) if described.tf else 0.0
            )
    return bits


def probabilities(total: np.ndarray, using: Parameters) -> np.ndarray:
    """Parameters.probability over an array of weights."""
    exponent = np.minimum(-(using.slope * total + using.intercept), 1000.0)
    return 1.0 / (1.0 + np.exp2(exponent))


def worth_showing(total: np.ndarray, using: Parameters) -> np.ndarray:
    """The pairs the engine would show (strong or possible), with a hair's margin for rounding: they are scored
    again by the engine, which decides."""
    return probabilities(total + 1e-6, using) >= using.shown_threshold


# --- Candidates, set-based ------------------------------------------------------------------------------------

_CANDIDATES = """
    WITH q AS (SELECT * FROM unnest(%(reports)s::bigint[], %(keys)s::bigint[]) AS q(report, key)),
    held AS (
        SELECT k.key, c.kind, c.target_id, count(*) OVER (PARTITION BY k.key) AS n
        FROM (SELECT DISTINCT key FROM q) AS k
        CROSS JOIN LATERAL (
            -- The newest `cap` records of the kinds, read kind by kind down the (key, kind, target_id) index: one
            -- short backward scan each, never every holder of a common key sorted.
            SELECT one_kind.kind, one_kind.target_id FROM unnest(%(kinds)s::varchar[]) AS wanted(name)
            CROSS JOIN LATERAL (
                SELECT m.kind, m.target_id FROM trackchild_sync_matchkey m
                WHERE m.key = k.key AND m.kind = wanted.name ORDER BY m.target_id DESC LIMIT %(cap)s
            ) AS one_kind
            ORDER BY one_kind.target_id DESC LIMIT %(cap)s
        ) AS c
    ),
    weighed AS (
        SELECT q.report, h.kind, h.target_id, sum(1.0::float8 / h.n) AS weight
        FROM q JOIN held h ON h.key = q.key
        GROUP BY q.report, h.kind, h.target_id
    )
    SELECT report, kind, target_id, rank FROM (
        SELECT report, kind, target_id,
               row_number() OVER (PARTITION BY report ORDER BY weight DESC, kind, target_id) AS rank
        FROM weighed
    ) AS ranked
    WHERE rank <= %(pool)s
"""


def candidates(batch: Sequence[Record], kinds: Sequence[str], *, cap: int, pool: int) -> list[tuple[int, str, int]]:
    """(report id, kind, target id) for the best `pool` records of `kinds` sharing each report's blocking keys."""
    reports: list[int] = []
    wanted: list[int] = []
    for record in batch:
        for key in keys.query_keys(record):
            reports.append(record.id)
            wanted.append(key)
    if not wanted:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _CANDIDATES,
            {"reports": reports, "keys": wanted, "kinds": list(kinds), "cap": cap, "pool": pool},
        )
        rows = cursor.fetchall()
    # Best first within each report (sorted here: cheaper than a second sort in the statement).
    rows.sort(key=lambda row: (row[0], row[3]))
    return [(report, kind, target) for report, kind, target, _rank in rows]
