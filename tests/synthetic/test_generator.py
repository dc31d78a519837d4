"""The synthetic registry looks like a real one, is the same for the same seed, and carries every kind of
variation the engine is measured on."""

from collections import Counter
from dataclasses import astuple

import pytest

from tests.synthetic import names
from tests.synthetic import variations as v
from tests.synthetic.evaluation import HELD_OUT, TUNING, evaluation_set
from tests.synthetic.places import DATA, _rows
from tests.synthetic.registry import DEVA, full_years, generate_registry, render


@pytest.fixture(scope="module")
def large():
    return generate_registry(100_000, seed=12)


def test_common_names_are_shared_by_thousands_at_100000(large):
    counts = Counter(record.name for record in large.records)
    assert counts["Rahul Kumar"] >= 2000 and counts["Sonu Kumar"] >= 1500
    assert counts["Puja Kumari"] >= 1000
    assert counts["Mohd Arif"] >= 300 and counts["Khushbu Khatun"] >= 200
    # ...and the tail is long: thousands of names are rare.
    assert len(counts) >= 5000
    assert sum(1 for count in counts.values() if count <= 3) >= 3000
    # A name's share falls with its rank roughly as a power (Zipf): the 10th name about a tenth of the first
    # or more, the 100th far less.
    ranked = [count for _name, count in counts.most_common()]
    assert ranked[9] / ranked[0] > 0.15 and ranked[99] / ranked[0] < 0.1


def test_the_registry_has_the_shape_of_a_register_of_bihar(large):
    records = large.records
    share = lambda test: sum(1 for record in records if test(record)) / len(records)  # noqa: E731
    assert 0.12 < share(lambda r: r.script == DEVA) < 0.18
    assert 0.3 < share(lambda r: r.aadhaar) < 0.4
    assert 0.18 < share(lambda r: r.sex == "f") < 0.26
    assert share(lambda r: r.name.startswith(("Mohd", "मो०"))) > 0.03
    assert all(6 <= record.age_years <= 17 for record in records)
    assert all(record.aadhaar.startswith("0") and len(record.aadhaar) == 12 for record in records if record.aadhaar)
    # Districts and blocks are LGD's, each block in its own district; some districts send far more children.
    blocks = {int(row["Block Code"]): int(row["District Code"]) for row in _rows(DATA / "blocks_bihar.csv")}
    assert all(blocks[record.home_block_lgd] == record.home_district_lgd for record in records)
    per_district = Counter(record.home_district_lgd for record in records).most_common()
    assert len(per_district) == 38 and per_district[0][1] > 5 * per_district[-1][1]
    # Brothers and sisters share a father and a village.
    families = Counter(record.family for record in records)
    assert 0.05 < sum(1 for count in families.values() if count > 1) / len(families) < 0.25
    # Every record's age follows the child's birth date.
    assert all(full_years(large.people[r.person].born, r.rescued_on) == r.age_years for r in records[:5000])


def test_the_same_seed_makes_the_same_registry_and_another_seed_another():
    first, again, other = (generate_registry(3000, seed=s) for s in (7, 7, 8))
    assert [astuple(r) for r in first.records] == [astuple(r) for r in again.records]
    assert [r.name for r in first.records] != [r.name for r in other.records]


def test_name_tables_have_both_scripts_and_their_rhymes():
    tokens = names.token_by_latin()
    assert all(token.deva and not token.deva.isascii() for token in tokens.values())
    assert all(rhyme in tokens for rhyme in names.RHYMES.values())
    assert {"Sonu", "Rinku"} <= names.UNISEX


@pytest.mark.parametrize("config", [TUNING, HELD_OUT], ids=lambda c: c.name)
def test_every_kind_of_variation_is_present_alone_and_combined(config):
    registry, evaluation = evaluation_set(config)
    assert len(evaluation.reregistrations) == config.reregistrations
    assert len(evaluation.new_children) == config.new_children
    alone = Counter(case.kinds[0] for case in evaluation.reregistrations if len(case.kinds) == 1)
    combined = Counter(kind for case in evaluation.reregistrations if len(case.kinds) > 1 for kind in case.kinds)
    assert all(alone[kind] >= config.reregistrations // 25 for kind in v.KINDS), alone
    assert all(combined[kind] >= 10 for kind in v.KINDS), combined
    confusable = Counter(case.kinds[0] for case in evaluation.new_children)
    assert set(confusable) == set(v.CONFUSABLE_KINDS)


def test_each_variation_is_what_its_label_says():
    registry, evaluation = evaluation_set(TUNING)
    first = {}
    for record in registry.records:
        first.setdefault(record.person, record)
    for case in evaluation.reregistrations:
        query, earlier = case.query, first[case.truth]
        person = registry.people[case.truth]
        kinds = set(case.kinds)
        assert query.rescued_on > earlier.rescued_on and query.sex == earlier.sex
        assert (query.script != earlier.script) == (v.SCRIPT in kinds)
        if v.SURNAME_MOVED in kinds and v.SPELLING not in kinds and v.SCRIPT not in kinds:
            assert query.name.split()[0] == earlier.name.split()[-1]
        if v.SURNAME_DROPPED in kinds:
            assert len(query.name.split()) < len(earlier.name.split())
        if v.NO_PARENT in kinds:
            assert not (query.father_name or query.mother_name or query.guardian_name)
        if v.SURNAME_REPLACED in kinds and person.family.muslim and person.sex == "m":
            assert person.family.surname.in_script(query.script) in query.name  # the family's own, never invented
        if v.MOTHER_FOR_FATHER in kinds:
            assert earlier.father_name and query.mother_name and not query.father_name
        true_age = full_years(person.born, query.rescued_on)
        assert (query.age_years != true_age) == (v.AGE_OFF in kinds)
        assert abs(query.age_years - true_age) <= 2
        if v.LATER_RESCUE in kinds:
            assert (query.rescued_on - earlier.rescued_on).days >= 3 * 365
        if kinds == {v.SPELLING}:
            assert query.name != earlier.name
        if kinds == {v.VILLAGE_SPELLING}:
            assert query.home_village_text != earlier.home_village_text and query.name == earlier.name


def test_confusable_new_children_are_new_and_confusable():
    registry, evaluation = evaluation_set(TUNING)
    by_name = Counter(record.name for record in registry.records)
    people = {record.person for record in registry.records}
    for case in evaluation.new_children:
        query = case.query
        assert query.person not in people and case.truth is None and not case.truth_ids
        if case.kinds == (v.SIBLING,):
            assert query.family in {r.family for r in registry.records}
    namesakes = [c.query for c in evaluation.new_children if c.kinds == (v.NAMESAKE,)]
    assert sum(1 for q in namesakes if by_name[q.name]) / len(namesakes) > 0.7  # the same name, as written
    # A sibling is written with the family's father and village, and the sex its name goes with.
    families = {person.family.id: person.family for person in registry.people.values()}
    siblings = [c.query for c in evaluation.new_children if c.kinds == (v.SIBLING,)]
    for q in siblings:
        family = families[q.family]
        assert q.home_village_text == family.village.in_script(q.script)
        assert q.father_name == ("" if family.guardian else render(family.father, q.script))
    girls = {token.latin for token in names.GIRLS_HINDU + names.GIRLS_MUSLIM}
    assert all(q.name.split()[-1] != "Kumar" for q in siblings if q.sex == "f")
    assert all(q.name.split()[0] not in girls - names.UNISEX for q in siblings if q.sex == "m")


def test_children_registered_twice_are_labelled_for_the_duplicate_pass():
    registry = generate_registry(4000, seed=9, duplicates=0.02)
    assert len(registry.records) == 4080
    twice = [person for person in registry.people if len(registry.records_of(person)) == 2]
    assert len(twice) == 80
    for person in twice[:20]:
        earlier, later = registry.records_of(person)
        assert later.id > 4000 and later.rescued_on > earlier.rescued_on and later.family == earlier.family
