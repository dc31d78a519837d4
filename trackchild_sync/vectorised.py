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

Candidates are chosen over arrays too (`KeyIndex`): the pass holds every target's blocking keys in memory (it has
just worked them out to store them), and ranks the records sharing each report's keys as `matching._candidates`
does from the table (each key counting 1 / the records read for it, at most KEY_CAP per key, the newest), keeping
the best POOL of each report: no statement per batch, no key read twice.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

import numpy as np

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


# --- Candidates, over arrays ------------------------------------------------------------------------------------


class KeyIndex:
    """The blocking keys of the targets (found children and residents) of a pass, held in memory, each key with the
    holders the engine reads for it: the newest `cap` by id (`matching._candidates` reads the same from
    `trackchild_sync_matchkey`: ORDER BY target_id DESC, kind, LIMIT cap).

    Targets are numbered 0..n-1 in the order (kind, id), the order in which ties of weight are broken."""

    def __init__(self, key_sets: Sequence[Iterable[int]], ids: np.ndarray, kinds: np.ndarray, *, cap: int):
        self.size = len(key_sets)
        lengths = np.fromiter((len(found) for found in key_sets), dtype=np.int64, count=self.size)
        flat = np.fromiter(itertools.chain.from_iterable(key_sets), dtype=np.int64, count=int(lengths.sum()))
        owner = np.repeat(np.arange(self.size, dtype=np.int64), lengths)
        order = np.lexsort((kinds[owner], -ids[owner], flat))  # by key, then newest first, then kind
        flat, owner = flat[order], owner[order]
        starts, counts = _groups(flat)
        kept = (np.arange(len(flat)) - np.repeat(starts, counts)) < cap
        flat, self.holders = flat[kept], owner[kept]
        starts, self.counts = _groups(flat)
        self.keys, self.starts = flat[starts], starts

    def candidates(self, key_sets: Sequence[Iterable[int]], *, pool: int) -> tuple[np.ndarray, np.ndarray]:
        """For each query (its keys in `key_sets`), the best `pool` targets by shared keys, each key counting
        1 / its holders: (query number, target number) arrays, best first within each query."""
        lengths = np.fromiter((len(found) for found in key_sets), dtype=np.int64, count=len(key_sets))
        wanted = np.fromiter(itertools.chain.from_iterable(key_sets), dtype=np.int64, count=int(lengths.sum()))
        query = np.repeat(np.arange(len(key_sets), dtype=np.int64), lengths)
        empty = np.array([], dtype=np.int64)
        if not len(wanted) or not len(self.keys):
            return empty, empty
        at = np.minimum(np.searchsorted(self.keys, wanted), len(self.keys) - 1)
        held = self.keys[at] == wanted
        query, at = query[held], at[held]
        counts = self.counts[at]
        total = int(counts.sum())
        if not total:
            return empty, empty
        # Every (query, holder of one of its keys), each weighing 1 / the key's holders.
        rows = np.repeat(query, counts)
        first = np.repeat(self.starts[at] - (np.cumsum(counts) - counts), counts)
        targets = self.holders[first + np.arange(total)]
        share = np.repeat(1.0 / counts, counts)
        # A stable sort: each report's rows are a few runs (one a key, holders newest first), which it merges; the
        # shares are summed in the rows' own order, as `_candidates` sums them, so ties come out the same.
        combined = rows * self.size + targets
        order = np.argsort(combined, kind="stable")
        combined = combined[order]
        new = np.r_[True, combined[1:] != combined[:-1]]
        weight = np.bincount(np.cumsum(new) - 1, weights=share[order])
        pairs = combined[new]
        query, targets = pairs // self.size, pairs % self.size
        # Best first within each report; lexsort is stable, so equal weights stay in target order.
        order = np.lexsort((-weight, query))
        query, targets = query[order], targets[order]
        starts, counts = _groups(query)
        best = (np.arange(len(query)) - np.repeat(starts, counts)) < pool
        return query[best], targets[best]


def _groups(sorted_values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each run of equal values starts in a sorted array, and its length."""
    if not len(sorted_values):
        return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, sorted_values[1:] != sorted_values[:-1]])
    return starts, np.diff(np.r_[starts, len(sorted_values)])
