"""Statistical disclosure control: which counts on a page, a PDF or an export must be hidden.

One rule, decided here and nowhere else:
1. Primary suppression: a count from 1 to 4 is hidden unless every child it counts lies in the reader's own
   jurisdiction (a district officer may see that two of the district's own children were rescued in a brick kiln;
   nobody else may learn it from a figure).
2. Secondary suppression: a hidden count must not be recoverable from the figures shown beside it. A page shows
   totals and their parts (13 cases, 12 rescued within the state, "<5" outside: 13 - 12 = 1). Every such
   relation on the page is found, and more cells are hidden until no hidden cell is determined by the shown ones
   through any combination of relations, not only one total minus its other parts (in a cross-tab a hidden cell
   can be fixed by a chain of rows and columns even when each row and column has two hidden cells).

A figure is a `Key`: the set of (dimension, value) conditions it counts, e.g. `key(district=7, sex="f")`; the
total of the page is `key()`. Relations are found, not declared: a figure K and the figures K + {d: v} for the
values v of one dimension d form a relation when the parts add up to K, exactly as a reader could check. So a
caller only has to put every figure of one page (or one PDF, one export) into one call.

Zeros stay visible (a zero counts no child), and the hidden cells are told apart: "<5" for a small count, "*" for
one hidden only to protect another. Money amounts and rates are not counts of children; a rate is shown only
where both its counts are (`Disclosure.rate`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

SMALL_COUNT = 5
SMALL_MARK = f"<{SMALL_COUNT}"
SECONDARY_MARK = "*"

Key = frozenset


def key(**conditions) -> Key:
    """The key of a figure: the conditions it counts under (none for the grand total)."""
    return frozenset(conditions.items())


@lru_cache(maxsize=100_000)
def _order(k: Key) -> tuple:
    """A key's place in the deterministic order of relations and partners (memoised: the relations of a page
    sort the same few hundred keys tens of thousands of times, which was half of `protect`'s time)."""
    return tuple(sorted((str(d), str(v)) for d, v in k))


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), as a reader of the page could verify."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


def relations(values: Mapping[Key, int]) -> list[Relation]:
    """Every total-and-parts relation among the figures: K = sum of K + {d: v} over the shown values of d."""
    groups: dict[tuple[Key, str], list[Key]] = defaultdict(list)
    for k in values:
        for dimension, value in k:
            groups[(k - {(dimension, value)}, dimension)].append(k)
    found = []
    for (total, _dimension), parts in groups.items():
        if total in values and sum(values[p] for p in parts) == values[total]:
            found.append(Relation(total, tuple(sorted(parts, key=_order))))
    return sorted(found, key=lambda r: (_order(r.total), [_order(p) for p in r.parts]))


def determined(hidden: Iterable[Key], found: list[Relation]) -> set[Key]:
    """The hidden figures that the shown ones fix exactly through some combination of the relations.

    The relations are linear equations; the shown figures are known, the hidden ones unknown. A hidden figure is
    determined exactly when its unit vector lies in the row space of the equations restricted to the unknowns,
    i.e. when the reduced row echelon form has a row with that single unknown. Exact arithmetic (Fraction).
    """
    hidden = set(hidden)
    touching = [r for r in found if any(m in hidden for m in r.members)]
    exposed: set[Key] = set()
    for component in _components(touching, hidden):
        exposed |= _determined_within(component, hidden)
    return exposed


def _components(found: list[Relation], hidden: set[Key]) -> list[list[Relation]]:
    """The relations grouped by the hidden figures they share (independent systems, each solved alone)."""
    parent: dict[Key, Key] = {}

    def root(k: Key) -> Key:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for relation in found:
        members = [m for m in relation.members if m in hidden]
        for other in members[1:]:
            parent[root(other)] = root(members[0])
    groups: dict[Key, list[Relation]] = defaultdict(list)
    for relation in found:
        first = next(m for m in relation.members if m in hidden)
        groups[root(first)].append(relation)
    return list(groups.values())


def _determined_within(found: list[Relation], hidden: set[Key]) -> set[Key]:
    unknowns = sorted({m for r in found for m in r.members if m in hidden}, key=_order)
    index = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for relation in found:
        row = dict.fromkeys(range(len(unknowns)), Fraction(0))
        touched = False
        if relation.total in index:
            row[index[relation.total]] += 1
            touched = True
        for part in relation.parts:
            if part in index:
                row[index[part]] -= 1
                touched = True
        if touched:
            rows.append({i: c for i, c in row.items() if c})
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for row in rows:
        for pivot, prow in pivots:
            if pivot in row:
                factor = row[pivot]
                for i, c in prow.items():
                    row[i] = row.get(i, Fraction(0)) - factor * c
                row = {i: c for i, c in row.items() if c}
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {i: c / scale for i, c in row.items()}
        # Keep the form reduced: clear the new pivot from the earlier rows.
        reduced = []
        for p, prow in pivots:
            if pivot in prow:
                factor = prow[pivot]
                prow = {i: prow.get(i, Fraction(0)) - factor * row.get(i, Fraction(0)) for i in set(prow) | set(row)}
                prow = {i: c for i, c in prow.items() if c}
            reduced.append((p, prow))
        pivots = [*reduced, (pivot, row)]
    return {unknowns[p] for p, prow in pivots if len(prow) == 1}


@dataclass(frozen=True)
class Disclosure:
    """The figures of one page with the decision for each: shown, hidden as small, hidden to protect another."""

    values: Mapping[Key, int]
    small: frozenset
    secondary: frozenset

    @property
    def hidden(self) -> frozenset:
        return self.small | self.secondary

    def show(self, k: Key) -> int | str:
        """What the reader sees for a figure: the count, "<5" or "*"."""
        if k in self.small:
            return SMALL_MARK
        if k in self.secondary:
            return SECONDARY_MARK
        return self.values[k]

    def shown(self, k: Key) -> int | None:
        """The count if the reader may see it, else None (for charts, which draw hidden figures as gaps)."""
        return None if k in self.hidden else self.values[k]

    def rate(self, numerator: Key, denominator: Key, *, places: int = 1) -> float | None:
        """numerator / denominator in per cent, or None when either count is hidden or the denominator is zero."""
        if numerator in self.hidden or denominator in self.hidden or not self.values.get(denominator):
            return None
        return round(100 * self.values[numerator] / self.values[denominator], places)


def protect(values: Mapping[Key, int], *, own: Callable[[Key], bool] = lambda k: False) -> Disclosure:
    """Decide which of one page's figures to hide. `own(k)` says whether every child counted by k lies in the
    reader's own jurisdiction (such figures are never small-suppressed, though they may be hidden to protect
    another figure they would give away)."""
    values = dict(values)
    small = frozenset(k for k, v in values.items() if 0 < v < SMALL_COUNT and not own(k))
    if not small:  # nothing to hide, so nothing to protect (the relations are not even needed)
        return Disclosure(values=values, small=small, secondary=frozenset())
    found = relations(values)
    containing: dict[Key, list[Relation]] = defaultdict(list)
    for relation in found:
        for member in relation.members:
            containing[member].append(relation)
    hidden = set(small)
    while True:
        _hide_single_members(found, hidden, values, own)
        exposed = determined(hidden, found)
        if not exposed:
            break
        # One cell at a time: hiding a partner may already cover the next exposed cell.
        partner = next(
            (p for k in sorted(exposed, key=_order) if (p := _partner(k, containing[k], hidden, values, own))), None
        )
        if partner is None:  # the relations around them are hidden: break the chain further out
            touching = [r for r in found if any(m in hidden for m in r.members)]
            partner = _partner(None, touching, hidden, values, own)
        if partner is None:
            break
        hidden.add(partner)
    return Disclosure(values=values, small=small, secondary=frozenset(hidden - small))


def _hide_single_members(found: list[Relation], hidden: set[Key], values, own) -> None:
    """The quick pass: while some relation has exactly one hidden member (its total minus the other members gives
    it away), hide a partner in that relation. The exact check in `determined` then finds the longer chains."""
    changed = True
    while changed:
        changed = False
        for relation in found:
            inside = [m for m in relation.members if m in hidden]
            if len(inside) == 1 and (partner := _partner(inside[0], [relation], hidden, values, own)):
                hidden.add(partner)
                changed = True


def _partner(
    k: Key | None, around: list[Relation], hidden: set[Key], values: Mapping[Key, int], own: Callable[[Key], bool]
) -> Key | None:
    """The figure to hide beside an exposed one: the smallest positive shown part of a relation it is in (least
    information lost), else a shown total, else any shown figure of those relations (a zero). Never a figure of
    the reader's own jurisdiction: the reader knows it from their own records, so hiding it protects nothing."""
    candidates = []
    for relation in around:
        for member in relation.members:
            if member in hidden or member == k or own(member):
                continue
            is_total = member == relation.total
            candidates.append((values[member] == 0, is_total, values[member], _order(member), member))
    return min(candidates)[-1] if candidates else None
