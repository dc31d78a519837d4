"""The thresholds chosen on a labelled set, and the figures of the engine on it (issue 12's goals).

A labelled query is what an officer typed for a child (a Record without an id) and the truth: the id of the child's
earlier record in the registry, or None for a child never registered before. The state's data team makes such a
set from its own confirmed links (rescue's `calibrate_match_thresholds` reads it from a CSV file of case numbers).

    queries = [Labelled(record, truth_id), ...]
    chosen = choose(queries, load=..., purpose="children")   # thresholds and a report; nothing stored yet
    print(chosen.report.table())
    store(chosen, by=user, source="links-2026.csv")

The thresholds are chosen on the whole set; the figures printed are those of two-fold cross-validation (the
thresholds chosen on one half, measured on the other, and the other way round), so that they say what the
thresholds will do on registrations they were not chosen on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pghistory
from django.db import transaction
from django.utils import timezone

from clts.matching import keys
from clts.matching.comparisons import INSIDE, SAME, SHARED, compare_words
from clts.matching.models import MatchModel
from clts.matching.names import folded_words
from clts.matching.records import Record
from clts.matching.scoring import Parameters, Scored
from clts.matching.training import Calibration, fit_calibration

SHOWN = 5  # candidates an officer is shown

# Groups of re-registrations, told from the pair itself (the file says nothing of how the particulars varied).
ALL = "all re-registrations"
NAME_REORDERED = "same name words, another order or another surname"
NAME_SHORTER = "a word of the name dropped"
PARENTS_OTHER = "mother for father, or no parent"


@dataclass(frozen=True)
class Labelled:
    record: Record  # what the officer typed
    truth: int | None  # the earlier record's id, or None: a child never registered before


@dataclass(frozen=True)
class Goal:
    label: str
    group: str  # ALL, a group above, or NEW (new children)
    sense: str  # ">=" or "<="
    goal: float


NEW = "new children"
# Issue 12's goals, on the groups a labelled file lets us tell apart.
GOALS = (
    Goal("true child ranked first", ALL, ">=", 0.95),
    Goal("new child shown a strong candidate", NEW, "<=", 0.02),
    Goal("surname moved or replaced, ranked first", NAME_REORDERED, ">=", 0.95),
    Goal("surname dropped, ranked first", NAME_SHORTER, ">=", 0.90),
    Goal("mother for father or no parent, ranked first", PARENTS_OTHER, ">=", 0.95),
)


def groups_of(query: Record, earlier: Record) -> set[str]:
    """The groups a re-registration falls in, from what was typed against the earlier record."""
    found = {ALL}
    typed, stored = query.name_words, earlier.name_words
    if typed and stored:
        level, _words = compare_words(typed, stored)
        if level == INSIDE and typed < stored:
            found.add(NAME_SHORTER)
        elif level in (INSIDE, SHARED) or (level == SAME and folded_words(query.name) != folded_words(earlier.name)):
            found.add(NAME_REORDERED)
    roles = {role for role, _words in query.parents}
    earlier_roles = {role for role, _words in earlier.parents}
    if not roles or (roles == {"mother"} and "father" in earlier_roles):
        found.add(PARENTS_OTHER)
    return found


@dataclass
class Outcome:
    groups: set[str]  # empty for a new child
    first: bool = False
    at5: bool = False
    true_strong: bool = False
    false_strong: bool = False
    shown: bool = False


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    missing: int = 0  # true records no longer in the registry (their rows were left out)

    def _of(self, group: str) -> list[Outcome]:
        if group == NEW:
            return [outcome for outcome in self.outcomes if not outcome.groups]
        return [outcome for outcome in self.outcomes if group in outcome.groups]

    def figure(self, measure: str, group: str) -> float | None:
        outcomes = self._of(group)
        if not outcomes:
            return None
        return sum(getattr(outcome, measure) for outcome in outcomes) / len(outcomes)

    def goal_figures(self) -> list[tuple[Goal, float | None, bool]]:
        """Each goal with its figure and whether it is met (a group without queries is not counted as missed)."""
        rows = []
        for goal in GOALS:
            value = self.figure("false_strong" if goal.group == NEW else "first", goal.group)
            met = value is None or (value >= goal.goal if goal.sense == ">=" else value <= goal.goal)
            rows.append((goal, value, met))
        return rows

    def misses(self) -> list[str]:
        return [f"{goal.label}: {value:.1%}" for goal, value, met in self.goal_figures() if not met]

    def table(self) -> str:
        def pct(value):
            return "-" if value is None else f"{value:.1%}"

        lines = [f"{'':52}{'cases':>7}{'first':>9}{'at 5':>9}{'strong':>9}{'false strong':>14}"]
        for group in (ALL, NAME_REORDERED, NAME_SHORTER, PARENTS_OTHER):
            outcomes = self._of(group)
            lines.append(
                f"{group:52}{len(outcomes):7d}{pct(self.figure('first', group)):>9}"
                f"{pct(self.figure('at5', group)):>9}{pct(self.figure('true_strong', group)):>9}"
                f"{pct(self.figure('false_strong', group)):>14}"
            )
        new = self._of(NEW)
        lines.append(
            f"{NEW:52}{len(new):7d}{'-':>9}{'-':>9}{'-':>9}{pct(self.figure('false_strong', NEW)):>14}"
            f"  (shown any candidate: {pct(self.figure('shown', NEW))})"
        )
        for goal, value, met in self.goal_figures():
            lines.append(
                f"{goal.label:52}{pct(value):>9}  goal {goal.sense} {goal.goal:.0%}{'' if met else '  NOT MET'}"
            )
        if self.missing:
            lines.append(f"{self.missing} rows left out: their earlier record is not in the registry")
        return "\n".join(lines)


@dataclass
class Pool:
    labelled: Labelled
    scored: list[Scored]  # every candidate the blocking keys bring, best first
    groups: set[str]


def pools(
    queries: Sequence[Labelled], *, load: Callable[[list[int]], list[Record]], parameters: Parameters
) -> list[Pool]:
    """Each query's candidates from the registry (as registration finds them), all scored."""
    from clts.matching import engine

    found = []
    for query in queries:
        ids = keys.candidate_ids(query.record, pool=engine.POOL)
        brought = set(ids)
        records = load(ids + ([query.truth] if query.truth is not None and query.truth not in brought else []))
        earlier = next((record for record in records if record.id == query.truth), None)
        groups = groups_of(query.record, earlier) if earlier is not None else set()
        scored = engine.score(query.record, [record for record in records if record.id in brought], using=parameters)
        found.append(Pool(query, scored, groups))
    return found


def measure(pool_list: Sequence[Pool], calibration: Calibration) -> Report:
    """The figures of these pools under a calibration (probability and thresholds)."""
    using = Parameters(
        slope=calibration.slope,
        intercept=calibration.intercept,
        strong_threshold=calibration.strong,
        shown_threshold=calibration.shown,
    )
    report = Report()
    for pool in pool_list:
        if pool.labelled.truth is not None and not pool.groups:
            report.missing += 1
            continue
        shown = [item for item in pool.scored if using.probability(item.weight) >= using.shown_threshold][:SHOWN]
        strong = [item for item in shown if using.probability(item.weight) >= using.strong_threshold]
        truth = pool.labelled.truth
        report.outcomes.append(
            Outcome(
                groups=pool.groups,
                first=bool(shown) and shown[0].record.id == truth,
                at5=any(item.record.id == truth for item in shown),
                true_strong=any(item.record.id == truth for item in strong),
                false_strong=any(item.record.id != truth for item in strong),
                shown=bool(shown),
            )
        )
    return report


def _results(pool_list: Sequence[Pool]) -> list[tuple[list[Scored], int | None]]:
    """The answers `fit_calibration` learns from: a true child the keys did not bring teaches nothing."""
    results = []
    for pool in pool_list:
        truth = pool.labelled.truth
        if truth is not None and not any(item.record.id == truth for item in pool.scored):
            continue
        if truth is not None and not pool.groups:
            continue
        results.append((pool.scored, truth))
    return results


@dataclass
class Chosen:
    model: MatchModel
    calibration: Calibration  # chosen on the whole set: what is stored
    report: Report  # two-fold cross-validated figures
    queries: int


def choose(
    queries: Sequence[Labelled],
    *,
    load: Callable[[list[int]], list[Record]],
    purpose: str = "children",
    false_strong: float = 0.01,
    shown_recall: float = 0.99,
) -> Chosen:
    """Thresholds for the active model chosen on these labelled queries, and the figures they give (not stored)."""
    from clts.matching import engine

    model = MatchModel.objects.get(purpose=purpose, active=True)
    pool_list = pools(queries, load=load, parameters=engine.parameters(purpose))
    options = {"false_strong": false_strong, "shown_recall": shown_recall}
    halves = (pool_list[0::2], pool_list[1::2])
    report = Report()
    for chosen_on, measured_on in ((halves[0], halves[1]), (halves[1], halves[0])):
        half = measure(measured_on, fit_calibration(_results(chosen_on), **options))
        report.outcomes += half.outcomes
        report.missing += half.missing
    return Chosen(model, fit_calibration(_results(pool_list), **options), report, len(queries))


@transaction.atomic
def store(chosen: Chosen, *, by=None, source: str = "") -> MatchModel:
    """Put the chosen thresholds on the model, with who chose them, when and from what (in the audit trail too)."""
    model = MatchModel.objects.select_for_update().get(pk=chosen.model.pk)
    fitted = chosen.calibration
    with pghistory.context(user=by.pk if by else None, url=f"calibrate_match_thresholds:{source}"[:200]):
        model.slope, model.intercept = fitted.slope, fitted.intercept
        model.strong_threshold, model.shown_threshold = fitted.strong, fitted.shown
        model.calibrated_at = timezone.now()
        model.calibrated_by = by
        model.calibrated_from = source[:200]
        model.evaluation = {
            "queries": chosen.queries,
            "new_children": fitted.new_children,
            "true_candidates": fitted.true_candidates,
            "cross_validated": {
                goal.label: None if value is None else round(value, 4)
                for goal, value, _met in chosen.report.goal_figures()
            },
        }
        model.save()
    return model
