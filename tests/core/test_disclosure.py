"""The one disclosure rule: small counts hidden outside the reader's jurisdiction, and no hidden count derivable."""

import itertools
import random

import pytest

from clts.core.disclosure import SECONDARY_MARK, SMALL_MARK, determined, key, protect, relations


def table(grid: list[list[int]]) -> dict:
    """A cross-tab with its row totals, column totals and grand total, keyed as a page would key them."""
    cells = {}
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            cells[key(r=r, c=c)] = value
        cells[key(r=r)] = sum(row)
    for c in range(len(grid[0])):
        cells[key(c=c)] = sum(row[c] for row in grid)
    cells[key()] = sum(map(sum, grid))
    return cells


def derivable_by_combination(disclosure, *, coefficients=(-1, 0, 1)) -> set:
    """An attacker adding and subtracting every combination of the page's total-minus-parts equations: a
    combination that leaves exactly one hidden figure (with any known figures) gives that figure away."""
    found = relations(disclosure.values)
    hidden = disclosure.hidden
    leaked = set()
    equations = []
    for relation in found:
        terms = {relation.total: 1}
        for part in relation.parts:
            terms[part] = terms.get(part, 0) - 1
        equations.append({k: c for k, c in terms.items() if k in hidden and c})
    equations = [e for e in equations if e]
    for combo in itertools.product(coefficients, repeat=len(equations)):
        total: dict = {}
        for weight, equation in zip(combo, equations, strict=True):
            for k, c in equation.items():
                total[k] = total.get(k, 0) + weight * c
        remaining = {k: c for k, c in total.items() if c}
        if len(remaining) == 1:
            leaked |= set(remaining)
    return leaked


def test_the_example_of_issue_9_hides_a_second_cell():
    """13 cases, 12 rescued within the state, "<5" outside: 13 - 12 gives the hidden 1 away."""
    figures = {key(): 13, key(interstate="within"): 12, key(interstate="outside"): 1}
    disclosure = protect(figures)
    assert disclosure.show(key(interstate="outside")) == SMALL_MARK
    assert SECONDARY_MARK in (disclosure.show(key()), disclosure.show(key(interstate="within")))
    assert derivable_by_combination(disclosure) == set()


def test_counts_in_the_readers_own_jurisdiction_are_shown():
    figures = {key(district=1): 3, key(district=2): 2, key(): 5}
    disclosure = protect(figures, own=lambda k: dict(k).get("district") == 1)
    assert disclosure.show(key(district=1)) == 3
    assert disclosure.show(key(district=2)) == SMALL_MARK
    # The reader's own 3 and the total 5 would give away the other district's 2: the total is hidden too.
    assert disclosure.show(key()) == SECONDARY_MARK


def test_a_state_reader_sees_every_count():
    figures = table([[1, 2], [3, 4]])
    disclosure = protect(figures, own=lambda k: True)
    assert disclosure.hidden == frozenset()


def test_zeros_and_large_counts_are_shown_and_the_threshold_is_five():
    figures = {key(s="a"): 0, key(s="b"): 5, key(s="c"): 4, key(s="d"): 1}
    disclosure = protect(figures)
    assert [disclosure.show(key(s=s)) for s in "abcd"] == [0, 5, SMALL_MARK, SMALL_MARK]


def test_a_part_equal_to_its_total_is_hidden_with_it():
    """With one district filtered, the headline and the district's row are the same figure."""
    figures = {key(): 3, key(district=4): 3}
    disclosure = protect(figures)
    assert disclosure.show(key()) != 3 and disclosure.show(key(district=4)) != 3


def test_a_chain_of_rows_and_columns_is_broken_too():
    """Two hidden cells in every row and column can still give one away through a chain (a bridge between two
    cycles); the attacker combining equations finds none."""
    grid = [
        [2, 50, 3, 60],
        [40, 2, 70, 3],
        [3, 80, 2, 90],
        [60, 3, 40, 2],
    ]
    disclosure = protect(table(grid))
    assert derivable_by_combination(disclosure) == set()
    assert determined(disclosure.hidden, relations(disclosure.values)) == set()


@pytest.mark.parametrize("seed", range(40))
def test_no_hidden_count_of_a_random_table_can_be_worked_out(seed):
    """Every combination of the table's total-minus-parts equations (coefficients -1, 0, 1) tried on random
    3x3 tables with margins: none isolates a hidden figure; every small count is hidden."""
    rng = random.Random(seed)
    grid = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 9, 14, 30]) for _ in range(3)] for _ in range(3)]
    figures = table(grid)
    disclosure = protect(figures)
    assert {k for k, v in figures.items() if 0 < v < 5} <= disclosure.small
    assert derivable_by_combination(disclosure) == set()


@pytest.mark.parametrize("seed", range(10))
def test_larger_tables_leave_no_hidden_cell_determined(seed):
    """District x month sized tables: the exact check (row space of the equations) finds nothing, and no single
    total-minus-parts relation has exactly one hidden member."""
    rng = random.Random(1000 + seed)
    grid = [[rng.choice([0, 1, 2, 3, 6, 11, 25, 40]) for _ in range(12)] for _ in range(38)]
    figures = table(grid)
    disclosure = protect(figures)
    found = relations(figures)
    assert all(sum(m in disclosure.hidden for m in r.members) != 1 for r in found)
    assert determined(disclosure.hidden, found) == set()


def test_rates_are_hidden_with_their_counts():
    figures = {key(): 40, key(restored=True): 30, key(restored=True, status="retrafficked"): 2}
    disclosure = protect(figures)
    assert disclosure.rate(key(restored=True, status="retrafficked"), key(restored=True)) is None
    assert protect(figures, own=lambda k: True).rate(
        key(restored=True, status="retrafficked"), key(restored=True)
    ) == pytest.approx(6.7)


def test_the_check_itself_can_fail():
    """The attacker's search finds the giveaway when only the small count is hidden."""
    from clts.core.disclosure import Disclosure

    figures = {key(): 13, key(i="w"): 12, key(i="o"): 1}
    naive = Disclosure(values=figures, small=frozenset({key(i="o")}), secondary=frozenset())
    assert derivable_by_combination(naive) == {key(i="o")}
    assert determined(naive.hidden, relations(figures)) == {key(i="o")}
