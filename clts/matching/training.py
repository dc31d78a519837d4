"""Estimating the model from the registry: term frequencies, u from random pairs, m by expectation maximisation.

Splink's way, done here in numpy over records in memory rather than through Splink itself (see docs/matching.md):
1. term frequencies: how many records carry each folded word of a name, a parent's name, a village;
2. u (how often unrelated children agree at each level): from random pairs, which are almost all unrelated;
3. m (how often the same child does) and the share of true pairs: by EM over the pairs the blocking keys bring
   together, u held fixed, starting from the levels' priors, which also act as a weak Dirichlet prior so that a
   comparison the registry rarely carries (height, marks) keeps sensible values.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db import transaction

from clts.matching import keys
from clts.matching.comparisons import COMPARISONS
from clts.matching.models import MatchModel, TermFrequency
from clts.matching.records import Record
from clts.matching.scoring import DEFAULT_U

RANDOM_PAIRS = 200_000
BLOCKED_PAIRS = 200_000
BLOCK_GROUP_CAP = 30  # a key shared by more children than this brings too many unrelated pairs to learn from
PRIOR_STRENGTH = 50.0  # pseudo-pairs behind each comparison's prior m
MAX_ITERATIONS = 50
MIN_KNOWN_PAIRS = 30  # pairs known to be one child (same Aadhaar, or confirmed) from which m is counted directly
KNOWN_PRIOR_STRENGTH = 10.0  # pseudo-pairs behind the priors when m is counted from known pairs


def term_counts(records: Sequence[Record]) -> dict[str, Counter]:
    counts = {"name": Counter(), "parent": Counter(), "village": Counter()}
    for record in records:
        counts["name"].update(record.name_words)
        counts["parent"].update({word for _role, words in record.parents for word in words})
        counts["village"].update(record.village_words)
    return counts


def tf_reference(counts: Counter, total: int) -> float:
    """Mean log2 frequency of the word two unrelated records agree on (each word weighted by its count squared)."""
    squares = sum(count * count for count in counts.values())
    if not squares:
        return 0.0
    return sum(count * count * math.log2(count / total) for count in counts.values()) / squares


def gamma(pairs: list[tuple[Record, Record]]) -> np.ndarray:
    """Comparison levels of each pair (-1 where a field is not known on both)."""
    matrix = np.full((len(pairs), len(COMPARISONS)), -1, dtype=np.int8)
    for row, (one, other) in enumerate(pairs):
        for column, comparison in enumerate(COMPARISONS):
            level, _words = comparison.compare(one, other)
            if level is not None:
                matrix[row, column] = level
    return matrix


def random_pairs(records: Sequence[Record], count: int, rng: random.Random) -> list[tuple[Record, Record]]:
    n = len(records)
    pairs = []
    for _ in range(count):
        one, other = rng.randrange(n), rng.randrange(n)
        if one != other:
            pairs.append((records[one], records[other]))
    return pairs


def blocked_pairs(
    records: Sequence[Record], prefixes: tuple[str, ...], count: int, rng: random.Random
) -> list[tuple[Record, Record]]:
    """Pairs that share a blocking key of one of these kinds, in a small group: where the true pairs are."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for text in keys.key_texts(record):
            if text.startswith(prefixes):
                groups[text].append(index)
    seen: set[tuple[int, int]] = set()
    for members in groups.values():
        if 1 < len(members) <= BLOCK_GROUP_CAP:
            for i, one in enumerate(members):
                for other in members[i + 1 :]:
                    seen.add((one, other))
    chosen = sorted(seen)
    if len(chosen) > count:
        chosen = rng.sample(chosen, count)
    return [(records[one], records[other]) for one, other in chosen]


def estimate_u(matrix: np.ndarray) -> dict[str, list[float]]:
    u = {}
    for column, comparison in enumerate(COMPARISONS):
        known = matrix[:, column] >= 0
        if known.sum() < 100:
            u[comparison.name] = list(DEFAULT_U[comparison.name])
            continue
        counts = np.bincount(matrix[known, column], minlength=len(comparison.levels)).astype(float) + 0.5
        u[comparison.name] = list(counts / counts.sum())
    return u


def estimate_m(
    matrix: np.ndarray,
    u: dict[str, list[float]],
    m: dict[str, list[float]],
    *,
    held: frozenset[str],
    estimated: frozenset[str] | None = None,
) -> tuple[dict[str, list[float]], float, int]:
    """EM over blocked pairs with u fixed: the m of the `estimated` levels (all not held), the share of true pairs.

    The comparisons the pairs were blocked on are held out: every pair agrees on them by construction, so they say
    nothing about how often a true pair agrees (Splink's rule, one estimation session per blocking rule). The
    others not estimated take part in telling true pairs from unrelated ones with the m they have.
    """
    priors = {c.name: np.array([level.prior_m for level in c.levels]) for c in COMPARISONS}
    m = {name: np.array(values, dtype=float) for name, values in m.items()}
    share = 0.05
    iterations = 0
    log_u = {c.name: np.log(np.array(u[c.name])) for c in COMPARISONS}
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007
        log_odds = np.full(len(matrix), math.log(share / (1 - share)))
        for column, comparison in enumerate(COMPARISONS):
            if comparison.name in held:
                continue
            known = matrix[:, column] >= 0
            levels = matrix[known, column]
            log_odds[known] += np.log(m[comparison.name])[levels] - log_u[comparison.name][levels]
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -50, 50)))
        change = 0.0
        for column, comparison in enumerate(COMPARISONS):
            if comparison.name in held or (estimated is not None and comparison.name not in estimated):
                continue
            known = matrix[:, column] >= 0
            sums = np.bincount(
                matrix[known, column], weights=posterior[known], minlength=len(comparison.levels)
            ).astype(float)
            updated = (sums + PRIOR_STRENGTH * priors[comparison.name]) / (sums.sum() + PRIOR_STRENGTH)
            change = max(change, float(np.abs(updated - m[comparison.name]).max()))
            m[comparison.name] = updated
        new_share = float(np.clip(posterior.mean(), 1e-6, 0.5))
        change = max(change, abs(new_share - share))
        share = new_share
        if change < 1e-5:
            break
    return {name: [float(p) for p in values] for name, values in m.items()}, share, iterations


# Estimation sessions: (kinds of blocking key, comparisons held out because the pairs agree on them by
# construction, comparisons estimated). Pairs with the same name tell how often the same child's parents, place,
# age and sex agree; pairs with a parent's word and the year of birth (or the Aadhaar) in common tell how often its
# name does. Siblings never share a name and rarely a year of birth, so they do not pass for one child in either.
SESSIONS = (
    (("s:",), frozenset({"name"}), None),
    (("py:", "a:"), frozenset({"parent", "age", "aadhaar"}), frozenset({"name"})),
)


def anchored_pairs(records: Sequence[Record]) -> list[tuple[Record, Record]]:
    """Pairs of records with the same Aadhaar hash: the same child, whatever else differs."""
    by_hash: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.aadhaar_hash:
            by_hash[record.aadhaar_hash].append(record)
    return [(group[0], other) for group in by_hash.values() if len(group) <= 5 for other in group[1:]]


def count_m(matrix: np.ndarray, *, held: frozenset[str] = frozenset()) -> dict[str, np.ndarray]:
    """Level counts of each comparison over pairs known to be the same child (comparisons held left at zero)."""
    counts = {}
    for column, comparison in enumerate(COMPARISONS):
        known = matrix[:, column] >= 0
        if comparison.name in held or not known.any():
            counts[comparison.name] = np.zeros(len(comparison.levels))
        else:
            counts[comparison.name] = np.bincount(matrix[known, column], minlength=len(comparison.levels)).astype(float)
    return counts


@dataclass
class Estimate:
    """A model's parameters as estimated, before it is stored (`train` stores one)."""

    m: dict[str, list[float]]
    u: dict[str, list[float]]
    tf_reference: dict[str, float]
    counts: dict[str, Counter]
    records: int
    pairs: int = 0
    iterations: int = 0
    share: float = 0.0


def estimate(records: Sequence[Record], *, confirmed: Sequence[tuple[Record, Record]] = (), seed: int = 0) -> Estimate:
    """Term frequencies, u and m estimated from these records and the pairs people confirmed (nothing stored).

    `confirmed`: pairs people found to be the same child (link requests confirmed, duplicates linked). With the
    pairs the registry's Aadhaar hashes prove, they give m directly; with fewer than MIN_KNOWN_PAIRS of them, m is
    estimated by EM over blocked pairs instead (see docs/matching.md for why EM alone is not trusted here).
    """
    rng = random.Random(seed)  # noqa: S311  (sampling pairs, not secrets)
    counts = term_counts(records)
    total = max(len(records), 1)
    u = estimate_u(gamma(random_pairs(records, RANDOM_PAIRS if len(records) > 1 else 0, rng)))
    priors = {c.name: np.array([level.prior_m for level in c.levels]) for c in COMPARISONS}
    anchored, labelled = anchored_pairs(records), list(confirmed)
    known = len(anchored) + len(labelled)
    pairs = iterations = 0
    share = 0.0
    if known >= MIN_KNOWN_PAIRS:
        level_counts = count_m(gamma(anchored), held=frozenset({"aadhaar"})) if anchored else None
        confirmed_counts = count_m(gamma(labelled)) if labelled else None
        m = {}
        for name, prior in priors.items():
            total_counts = sum(c[name] for c in (level_counts, confirmed_counts) if c is not None)
            m[name] = [
                float(p)
                for p in (total_counts + KNOWN_PRIOR_STRENGTH * prior) / (total_counts.sum() + KNOWN_PRIOR_STRENGTH)
            ]
        pairs = known
    else:
        m = {name: list(prior) for name, prior in priors.items()}
        for prefixes, held, estimates in SESSIONS:
            blocked = gamma(blocked_pairs(records, prefixes, BLOCKED_PAIRS, rng))
            m, session_share, session_iterations = estimate_m(blocked, u, m, held=held, estimated=estimates)
            pairs, iterations = pairs + len(blocked), iterations + session_iterations
            share = share or session_share
    return Estimate(
        m=m,
        u=u,
        tf_reference={table: tf_reference(counter, total) for table, counter in counts.items()},
        counts=counts,
        records=len(records),
        pairs=pairs,
        iterations=iterations,
        share=share,
    )


@transaction.atomic
def train(
    records: Sequence[Record],
    *,
    confirmed: Sequence[tuple[Record, Record]] = (),
    purpose: str = "children",
    seed: int = 0,
) -> MatchModel:
    """Estimate a model from these records (`estimate`), store it with its term frequencies, and make it the one
    in use. The calibration and thresholds of the model it replaces are kept until the labelled set is run again."""
    found = estimate(records, confirmed=confirmed, seed=seed)
    previous = MatchModel.objects.filter(purpose=purpose, active=True).first()
    MatchModel.objects.filter(purpose=purpose, active=True).update(active=False)
    model = MatchModel.objects.create(
        purpose=purpose,
        parameters={"m": found.m, "u": found.u},
        tf_reference=found.tf_reference,
        records=found.records,
        pairs=found.pairs,
        iterations=found.iterations,
        match_share=found.share,
    )
    if previous is not None:
        # The thresholds chosen on the labelled set stay until the set is run again on the new model.
        model.slope, model.intercept = previous.slope, previous.intercept
        model.strong_threshold, model.shown_threshold = previous.strong_threshold, previous.shown_threshold
        model.calibrated_at, model.calibrated_by = previous.calibrated_at, previous.calibrated_by
        model.calibrated_from = previous.calibrated_from
        model.save(
            update_fields=[
                "slope", "intercept", "strong_threshold", "shown_threshold", "calibrated_at", "calibrated_by",
                "calibrated_from",
            ]
        )  # fmt: skip
    TermFrequency.objects.bulk_create(
        [
            TermFrequency(model=model, table=table, word=word[:60], count=count)
            for table, counter in found.counts.items()
            for word, count in counter.items()
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )
    return model


@dataclass(frozen=True)
class Calibration:
    slope: float
    intercept: float
    strong: float
    shown: float
    queries: int
    new_children: int
    true_candidates: int


def fit_calibration(
    results: Sequence[tuple[Sequence, int | None]],
    *,
    false_strong: float = 0.01,
    shown_recall: float = 0.99,
    shown_new: float = 0.1,
) -> Calibration:
    """The probability fitted to labelled answers and the thresholds chosen on them (nothing stored).

    `results`: per labelled query, its scored candidates (clts.matching.scoring.Scored, all of the pool, not only
    those shown) and the id of the true earlier record, or None for a child never registered before.
    - probability: the prior odds (in bits) that make "this candidate is the true one" fit the labels best;
    - strong: the lowest probability at which at most `false_strong` of the new children have a candidate above
      it (the officer is then asked to decide only where it is worth it);
    - shown: the probability that `shown_recall` of the true candidates reach (with room for the sample's size),
      unless more than `shown_new` of the new children would then be shown a candidate.
    """
    weights, labels = [], []
    for scored, true_id in results:
        for item in scored:
            weights.append(item.weight)
            labels.append(1.0 if true_id is not None and item.record.id == true_id else 0.0)
    x, y = np.array(weights), np.array(labels)
    slope, intercept = _logistic_fit(x, y)

    def probability(weight: float) -> float:
        return 1.0 / (1.0 + 2.0 ** min(-(slope * weight + intercept), 1000))

    new_best = sorted(
        max((probability(item.weight) for item in scored), default=0.0)
        for scored, true_id in results
        if true_id is None
    )
    true_p = sorted(
        probability(item.weight)
        for scored, true_id in results
        if true_id is not None
        for item in scored
        if item.record.id == true_id
    )
    allowed = int(false_strong * len(new_best))
    strong = 0.5
    if new_best:
        strong = max(0.5, min(0.999, new_best[len(new_best) - 1 - allowed] + 1e-6))
    shown = 0.05
    if true_p:
        # The quantile is estimated from a few hundred true candidates at most: it is taken at the low end of the
        # binomial count's 95% range (q n - 2 sqrt(q n) of them below), so that a sample this small does not put it
        # above children a set not seen would bring. With 250 true candidates that is the lowest, with 1,000 the
        # 4th lowest. Children whose re-registration carries little evidence (no parent's name, the name
        # shortened, the age off) are then shown, as "possible", on other sets too.
        expected = (1 - shown_recall) * len(true_p)
        below = max(0, math.floor(expected - 2 * math.sqrt(expected)))
        shown = true_p[below]
        if new_best:
            # ...but a threshold so low that more than `shown_new` of the new children are shown a candidate is
            # raised to where `shown_new` of them are (a possible candidate costs the officer a look).
            shown = max(shown, new_best[max(0, len(new_best) - 1 - int(shown_new * len(new_best)))])
        shown = min(strong * 0.9, max(0.01, shown))
    return Calibration(slope, intercept, strong, shown, len(results), len(new_best), len(true_p))


def calibrate(
    model: MatchModel,
    results: Sequence[tuple[Sequence, int | None]],
    *,
    false_strong: float = 0.01,
    shown_recall: float = 0.99,
    shown_new: float = 0.1,
) -> MatchModel:
    """Fit the probability to labelled answers and choose the thresholds (`fit_calibration`); stored on the model."""
    fitted = fit_calibration(results, false_strong=false_strong, shown_recall=shown_recall, shown_new=shown_new)
    model.slope, model.intercept = fitted.slope, fitted.intercept
    model.strong_threshold, model.shown_threshold = fitted.strong, fitted.shown
    model.evaluation = {
        "queries": fitted.queries,
        "new_children": fitted.new_children,
        "true_candidates": fitted.true_candidates,
    }
    model.save(update_fields=["slope", "intercept", "strong_threshold", "shown_threshold", "evaluation"])
    return model


def _logistic_fit(x: np.ndarray, y: np.ndarray, iterations: int = 100) -> tuple[float, float]:
    """The prior odds b of p = 1 / (1 + 2^-(x + b)) that fit the labels best (slope 1: the weights are already
    log2 likelihood ratios, and a free slope runs off to infinity when the weights separate the labels, as they
    do here). Falls back to (1, -12) without both kinds of label."""
    if len(x) == 0 or y.min() == y.max():
        return 1.0, -12.0
    intercept = -12.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip((x + intercept) * math.log(2), -50, 50)))
        gradient = float((y - p).sum()) * math.log(2)
        hessian = float((p * (1 - p)).sum()) * math.log(2) ** 2 + 1e-9
        step = max(-4.0, min(4.0, gradient / hessian))
        intercept += step
        if abs(step) < 1e-9:
            break
    return 1.0, intercept
