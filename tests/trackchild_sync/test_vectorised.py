"""The nightly pass's vectorised scoring gives the engine's own weight for every pair (a change in the engine that
trackchild_sync.vectorised does not follow fails here), and the pass raises what the engine would raise."""

import itertools
import random
from datetime import date, timedelta

import numpy as np
import pytest

from clts.matching import engine, keys
from clts.matching.records import Record
from clts.matching.scoring import Parameters
from trackchild_sync import vectorised

NAMES = ["Rahul Kumar", "Kumar Rahul", "Rahool", "राहुल", "Sonu", "Sonu Kumar Manjhi", "Khushbu Khatun", "Kushbu", ""]
PARENTS = ["Ramesh Paswan", "Ramesh", "रमेश पासवान", "Sunita Devi", "", "Mohd Arif"]
MARKS = ["mole on the chin", "scar on the left hand, mole on the chin", "burn mark on the arm", ""]
LANGUAGES = [("Hindi",), ("Hindi", "Magahi"), ("Bhojpuri",), ()]
PLACES = ["Gaya railway station", "railway station Gaya", "bus stand", ""]


def _records(seed: int, count: int, kind: str) -> list[Record]:
    pick = random.Random(seed)
    made = []
    for i in range(count):
        on = date(2025, 1, 1) + timedelta(days=pick.randrange(700))
        made.append(
            Record(
                id=i + 1,
                name=pick.choice(NAMES),
                guardian_name=pick.choice(PARENTS),
                father_name=pick.choice(["", "Ramesh Paswan", "Suresh Yadav"]),
                district_id=pick.choice([None, 1, 2]),
                sex=pick.choice(["", "m", "f"]),
                born=pick.choice([None, None, date(2014, 5, 1)]),
                age=pick.choice([None, 8, 9, 10, 12, 15]),
                on=pick.choice([None, on]),
                height_cm=pick.choice([None, 0, 110, 118, 125, 140]),
                marks=pick.choice(MARKS),
                languages=pick.choice(LANGUAGES),
                place=pick.choice(PLACES),
                place_on=pick.choice([None, on]),
                aadhaar_hash=pick.choice(["", "", "h1", "h2"]),
                extra={"kind": kind},
            )
        )
    return made


@pytest.mark.parametrize(
    "using",
    [
        Parameters(),
        Parameters(
            tf_counts={"name": {"rahul": 900, "sonu": 40, "kusbu": 3}, "parent": {"rames": 200, "pasvan": 700}},
            tf_reference={"name": -9.0, "parent": -8.0, "village": -7.0},
            records=10_000,
            slope=0.8,
            intercept=-10.0,
        ),
    ],
    ids=["defaults", "trained"],
)
def test_the_vectorised_weights_are_the_engines(using):
    queries, targets = _records(1, 60, "m"), _records(2, 80, "f")
    q, t = (np.array(side, dtype=np.int64) for side in zip(*itertools.product(range(60), range(80)), strict=True))
    total = vectorised.weights(vectorised.Side(queries), vectorised.Side(targets), q, t, using)
    expected = np.array(
        [engine.score(queries[i], [targets[j]], using=using)[0].weight for i, j in zip(q, t, strict=True)]
    )
    assert np.allclose(total, expected, atol=1e-9)
    shown = vectorised.worth_showing(total, using)
    strengths = np.array(
        [bool(engine.score(queries[i], [targets[j]], using=using)[0].strength) for i, j in zip(q, t, strict=True)]
    )
    # Every pair the engine would show is kept for it to score again (and the margin keeps next to nothing else).
    assert not (strengths & ~shown).any()
    assert (shown & ~strengths).sum() <= 2


def test_no_pair_scores_nothing():
    side = vectorised.Side(_records(3, 5, "m"))
    empty = np.array([], dtype=np.int64)
    assert vectorised.weights(side, side, empty, empty, Parameters()).shape == (0,)


@pytest.mark.django_db
def test_the_nightly_pass_ranks_and_raises_as_the_record_by_record_path(cast, places):
    """The set-based candidates are the pair-by-pair path's, and the pass raises the pair the engine raises."""
    from tests.trackchild_sync.test_missing_found import _report, _resident
    from trackchild_sync import matching
    from trackchild_sync.models import MatchPair

    resident = _resident(cast)
    for n, name in enumerate(["Sonu", "Rahul Manjhi", "Pooja Kumari"]):
        _resident(cast, name=name, age_years=9 + n)
    report = _report(cast.police)
    other = _report(cast.police, fir_number="113/2026", name="Raju", guardian_name="Sunil Manjhi", age_years=9)
    result = matching.matching_pass()
    fields = ("missing_id", "residence_id", "found_id", "strength")
    raised = set(MatchPair.objects.values_list(*fields))
    assert result["scored"] > 0 and result["raised"] == len(raised) >= 1
    assert (report.pk, resident.pk, None, "strong") in raised
    # Record by record (the incremental task, the engine's own scoring pair by pair): the same pairs.
    MatchPair.objects.all().delete()
    for pk in (report.pk, other.pk):
        matching.match_record("m", pk)
    assert set(MatchPair.objects.values_list(*fields)) == raised
    # The same candidates, best first, as matching._candidates ranks them in Python.
    batch = matching.records("m", [report.pk])
    targets = [*matching.open_records("f"), *matching.open_records("r")]
    index = vectorised.KeyIndex(
        [keys.record_keys(record) for record in targets],
        np.array([record.id for record in targets]),
        np.array([0 if record.extra["kind"] == "f" else 1 for record in targets]),
        cap=matching.KEY_CAP,
    )
    _q, ranked = index.candidates([keys.query_keys(batch[0])], pool=matching.POOL)
    in_memory = [(targets[j].extra["kind"], targets[j].id) for j in ranked.tolist()]
    assert in_memory == matching._candidates(batch, ("f", "r"))[report.pk]
    # Run again: nothing new (a pair is raised once).
    assert matching.matching_pass()["raised"] == 0


def test_stored_and_query_keys_are_the_engines():
    for record in _records(4, 40, "m"):
        assert keys.stored_and_query_keys(record) == (keys.record_keys(record), keys.query_keys(record))


@pytest.mark.django_db
def test_the_candidates_in_memory_are_the_tables(monkeypatch):
    """Ranked from the keys held in memory as `_candidates` ranks them from the table: the same targets in the same
    order, ties broken alike (found children and residents with the same ids), a key's holders cut at the cap."""
    from trackchild_sync import matching

    monkeypatch.setattr(matching, "KEY_CAP", 6)
    monkeypatch.setattr(matching, "POOL", 12)
    found, residents, queries = _records(5, 70, "f"), _records(6, 70, "r"), _records(7, 40, "m")
    matching.keys_store("f", found)
    matching.keys_store("r", residents)
    targets = [*found, *residents]
    index = vectorised.KeyIndex(
        [keys.record_keys(record) for record in targets],
        np.array([record.id for record in targets]),
        np.array([0] * len(found) + [1] * len(residents)),
        cap=6,
    )
    q, t = index.candidates([keys.query_keys(record) for record in queries], pool=12)
    in_memory: dict[int, list[tuple[str, int]]] = {}
    for i, j in zip(q.tolist(), t.tolist(), strict=True):
        in_memory.setdefault(queries[i].id, []).append((targets[j].extra["kind"], targets[j].id))
    from_table = {pk: ranked for pk, ranked in matching._candidates(queries, ("f", "r")).items() if ranked}
    assert in_memory == from_table
    assert sum(len(ranked) for ranked in in_memory.values()) > 100
