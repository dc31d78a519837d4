"""Fellegi-Sunter scoring: each comparison level adds log2(m/u) bits of evidence, names adjusted by frequency.

m is how often the same child falls at that level, u how often two unrelated children do. A name that agrees is
worth more the rarer it is: the weight of an agreeing level is moved by log2(reference / frequency) for each word
that agrees, where the frequency is the share of the registry that carries the word and the reference the
frequency of the word two unrelated children agree on, on average (Splink's term-frequency adjustment). The sum of
the weights is turned into a probability by the model's calibration, and the probability into "strong" (the
officer must link or reject), "possible" (shown) or nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from clts.matching.comparisons import COMPARISONS, Level
from clts.matching.records import Record

STRONG = "strong"
POSSIBLE = "possible"

# Before any training: what true pairs and unrelated pairs of a state registry look like, roughly. Training
# replaces them (train_match_model); they keep the engine usable on an empty or new registry.
DEFAULT_U = {
    "name": [0.002, 0.003, 0.004, 0.05, 0.941],
    "parent": [0.002, 0.003, 0.004, 0.05, 0.941],
    "place": [0.005, 0.005, 0.03, 0.1, 0.86],
    "age": [0.12, 0.12, 0.1, 0.66],
    "sex": [0.5, 0.5],
    "aadhaar": [1e-6, 1 - 1e-6],
    "height": [0.3, 0.3, 0.4],
    "marks": [0.05, 0.15, 0.8],
    "languages": [0.6, 0.4],
    "last_place": [0.05, 0.95],
}
DEFAULT_M = {comparison.name: [level.prior_m for level in comparison.levels] for comparison in COMPARISONS}


@dataclass
class Parameters:
    """A model as the scorer uses it (loaded from MatchModel and its TermFrequency rows, or the defaults)."""

    m: dict[str, list[float]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_M.items()})
    u: dict[str, list[float]] = field(default_factory=lambda: {k: list(v) for k, v in DEFAULT_U.items()})
    tf_reference: dict[str, float] = field(default_factory=dict)
    tf_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    records: int = 0
    slope: float = 1.0
    intercept: float = -12.0  # before calibration: about one child in 4,000 of a pool is the one sought
    strong_threshold: float = 0.9
    shown_threshold: float = 0.2
    model_id: int | None = None

    def __post_init__(self):
        self.weights = {
            name: [math.log2(max(m, 1e-9) / max(u, 1e-12)) for m, u in zip(self.m[name], self.u[name], strict=True)]
            for name in self.m
        }

    @property
    def calibration(self) -> tuple[float, float, float, float]:
        return (self.slope, self.intercept, self.strong_threshold, self.shown_threshold)

    def tf_adjustment(self, table: str, words: frozenset[str]) -> float:
        """Bits added for agreeing on these words: positive for rare words, negative for common ones."""
        counts = self.tf_counts.get(table)
        if not counts or not words or not self.records:
            return 0.0
        reference = self.tf_reference[table]
        return sum(reference - math.log2(max(counts.get(word, 0), 1) / self.records) for word in words)

    def probability(self, weight: float) -> float:
        exponent = -(self.slope * weight + self.intercept)
        return 1.0 / (1.0 + 2.0 ** min(exponent, 1000))


@dataclass
class Scored:
    """One candidate record scored against a query record."""

    record: Record
    weight: float  # bits of evidence, the sum over comparisons
    probability: float
    levels: dict[str, str]  # comparison -> level code, for the comparisons both records carry
    # (bits, level, term-frequency adjustment) per comparison both records carry, strongest first
    contributions: list[tuple[float, Level, float]]

    strength: str = ""  # STRONG, POSSIBLE or "" (not worth showing)

    @property
    def evidence(self) -> list[str]:
        """The evidence in words, strongest first, in the reader's language (worked out only when asked for)."""
        texts = []
        for _bits, level, adjustment in self.contributions:
            text = str(level.evidence)
            if adjustment <= -1.5:
                text = _("%(evidence)s (common)") % {"evidence": text}
            elif adjustment >= 3:
                text = _("%(evidence)s (rare)") % {"evidence": text}
            texts.append(text)
        return texts


def score_pair(query: Record, candidate: Record, parameters: Parameters) -> Scored:
    total = 0.0
    levels: dict[str, str] = {}
    contributions: list[tuple[float, Level, float]] = []
    for comparison in COMPARISONS:
        level, words = comparison.compare(query, candidate)
        if level is None:
            continue
        described = comparison.levels[level]
        bits = parameters.weights[comparison.name][level]
        adjustment = parameters.tf_adjustment(described.tf, words) if described.tf else 0.0
        bits += adjustment
        total += bits
        levels[comparison.name] = described.code
        contributions.append((bits, described, adjustment))
    contributions.sort(key=lambda item: -abs(item[0]))
    probability = parameters.probability(total)
    if probability >= parameters.strong_threshold:
        strength = STRONG
    elif probability >= parameters.shown_threshold:
        strength = POSSIBLE
    else:
        strength = ""
    return Scored(candidate, total, probability, levels, contributions, strength)
