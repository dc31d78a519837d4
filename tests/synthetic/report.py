"""How well an engine tells the same child from another: the figures of issue 12, overall and by kind.

    report = evaluate(rank, evaluation)   # rank(query: ChildRecord) -> ranked candidates, best first
    print(report.table())
    assert not report.misses(), report.misses()

A candidate is a `Ranked(id, probability, strong)` or a plain (id, probability, strong) tuple; `id` is the record's
id in the registry (`ChildRecord.id`; after `write_registry`, translate a child's primary key with
`Written.record_id`). Only the first five candidates are read.

Measured:
- ranked first: re-registrations whose first candidate is a record of the true child;
- recall at 5: re-registrations with a record of the true child among the first five;
- strong on the true child: re-registrations where the true child is flagged strong (the officer is asked);
- false strong: new children shown any strong candidate (the officer is asked to link a child who is not there),
  and re-registrations on which another child is flagged strong;
each overall, by kind of variation (every case carrying the kind, and the cases carrying it alone), and by kind of
confusable new child; and the time each ranking took (p50, p95).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tests.synthetic.evaluation import EvaluationCase, EvaluationSet
from tests.synthetic.registry import ChildRecord
from tests.synthetic.variations import (
    CONFUSABLE_KINDS,
    KINDS,
    MOTHER_FOR_FATHER,
    NO_PARENT,
    SURNAME_DROPPED,
    SURNAME_MOVED,
    SURNAME_REPLACED,
)

SHOWN = 5


@dataclass(frozen=True)
class Ranked:
    id: int
    probability: float
    strong: bool


Ranker = Callable[[ChildRecord], Sequence[Ranked | tuple[int, float, bool]]]

# The goals of issue 12: (label, kinds the figure is taken over, measure, at least / at most, goal).
GOALS = (
    ("true child ranked first, re-registration", None, "first", ">=", 0.95),
    ("new child shown a strong candidate", None, "new_strong", "<=", 0.02),
    ("surname moved or replaced, ranked first", (SURNAME_MOVED, SURNAME_REPLACED), "first", ">=", 0.95),
    ("surname dropped, ranked first", (SURNAME_DROPPED,), "first", ">=", 0.90),
    ("mother for father or no parent, ranked first", (MOTHER_FOR_FATHER, NO_PARENT), "first", ">=", 0.95),
)


@dataclass
class Outcome:
    case: EvaluationCase
    candidates: list[Ranked]
    ms: float

    @property
    def first(self) -> bool:
        return bool(self.candidates) and self.candidates[0].id in self.case.truth_ids

    @property
    def at5(self) -> bool:
        return any(candidate.id in self.case.truth_ids for candidate in self.candidates[:SHOWN])

    @property
    def true_strong(self) -> bool:
        return any(c.strong and c.id in self.case.truth_ids for c in self.candidates[:SHOWN])

    @property
    def false_strong(self) -> bool:
        return any(c.strong and c.id not in self.case.truth_ids for c in self.candidates[:SHOWN])

    @property
    def shown(self) -> bool:
        return bool(self.candidates)


def _share(outcomes: list[Outcome], measure: str) -> float | None:
    if not outcomes:
        return None
    return sum(getattr(outcome, measure) for outcome in outcomes) / len(outcomes)


@dataclass
class Report:
    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def reregistrations(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if not outcome.case.is_new]

    @property
    def new_children(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.case.is_new]

    def carrying(self, kinds: Sequence[str], alone: bool = False) -> list[Outcome]:
        return [
            outcome
            for outcome in self.reregistrations
            if set(kinds) & set(outcome.case.kinds) and (not alone or len(outcome.case.kinds) == 1)
        ]

    def figure(self, measure: str, kinds: Sequence[str] | None = None) -> float | None:
        if measure == "new_strong":
            return _share(self.new_children, "false_strong")
        outcomes = self.reregistrations if kinds is None else self.carrying(kinds)
        return _share(outcomes, measure)

    def misses(self) -> list[str]:
        """The goals this engine does not meet, in words (empty when it meets them all)."""
        misses = []
        for label, kinds, measure, sense, goal in GOALS:
            value = self.figure(measure, kinds)
            met = value is not None and (value >= goal if sense == ">=" else value <= goal)
            if not met:
                shown = "none measured" if value is None else f"{value:.1%}"
                misses.append(f"{label}: {shown} (goal {sense} {goal:.0%})")
        return misses

    def timings(self) -> tuple[float, float]:
        samples = [outcome.ms for outcome in self.outcomes]
        if len(samples) < 2:
            return (samples[0], samples[0]) if samples else (0.0, 0.0)
        return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]

    def rows(self) -> list[tuple[str, int, float | None, float | None, float | None, float | None]]:
        """(label, cases, ranked first, recall at 5, strong on the true child, false strong) per line of the table."""

        def row(label, outcomes, new=False):
            return (
                label,
                len(outcomes),
                None if new else _share(outcomes, "first"),
                None if new else _share(outcomes, "at5"),
                None if new else _share(outcomes, "true_strong"),
                _share(outcomes, "false_strong"),
            )

        lines = [row("all re-registrations", self.reregistrations)]
        for kind in KINDS:
            lines.append(row(f"  {kind}", self.carrying([kind])))
            lines.append(row(f"    {kind} alone", self.carrying([kind], alone=True)))
        lines.append(row("  two or more kinds", [o for o in self.reregistrations if len(o.case.kinds) >= 2]))
        lines.append(row("  with the Aadhaar typed", [o for o in self.reregistrations if o.case.query.aadhaar]))
        lines.append(row("all new children", self.new_children, new=True))
        for kind in CONFUSABLE_KINDS:
            lines.append(row(f"  {kind}", [o for o in self.new_children if kind in o.case.kinds], new=True))
        return lines

    def table(self) -> str:
        """The report as a fixed-width table, the goals and the timings under it."""

        def pct(value):
            return "-" if value is None else f"{value:.1%}"

        header = f"{'evaluation: ' + self.name:38}{'cases':>7}{'first':>9}{'at 5':>9}{'strong':>9}{'false strong':>14}"
        lines = [header, "-" * len(header)]
        for label, count, first, at5, strong, false in self.rows():
            lines.append(f"{label:38}{count:7d}{pct(first):>9}{pct(at5):>9}{pct(strong):>9}{pct(false):>14}")
        shown = pct(_share(self.new_children, "shown"))
        lines.append(f"{'  shown any candidate (possible)':38}{len(self.new_children):7d}{shown:>41}")
        lines.append("-" * len(header))
        for label, kinds, measure, sense, goal in GOALS:
            lines.append(f"{label:52}{pct(self.figure(measure, kinds)):>9}  goal {sense} {goal:.0%}")
        p50, p95 = self.timings()
        lines.append(f"ranking time per query: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
        return "\n".join(lines)


def _ranked(candidate) -> Ranked:
    if isinstance(candidate, Ranked):
        return candidate
    candidate_id, probability, strong = candidate
    return Ranked(candidate_id, float(probability), bool(strong))


def evaluate(rank: Ranker, evaluation: EvaluationSet) -> Report:
    """Rank every query of the set and measure the answers."""
    report = Report(name=f"{evaluation.config.name}, {evaluation.config.children:,} children")
    for case in evaluation.cases:
        started = time.perf_counter()
        candidates = [_ranked(candidate) for candidate in rank(case.query)][:SHOWN]
        report.outcomes.append(Outcome(case, candidates, (time.perf_counter() - started) * 1000))
    return report
