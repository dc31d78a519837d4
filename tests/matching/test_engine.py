"""The engine on plain records: comparisons, term frequencies, training, and scoring a chosen set."""

from datetime import date

import pytest

from clts.matching import engine, services, training
from clts.matching.comparisons import compare_parents, compare_words
from clts.matching.models import MatchModel, RejectedPair
from clts.matching.names import strong_words
from clts.matching.records import Record
from clts.matching.scoring import Parameters, Scored, score_pair

ON = date(2026, 6, 1)


def child(id_, name, father="", mother="", village="Dobhi", district=1, age=12, on=ON, **extra) -> Record:
    return Record(
        id=id_, name=name, father_name=father, mother_name=mother, village=village, district_id=district, sex="m",
        age=age, on=on, **extra,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("one", "other", "level"),
    [
        ("Rahul Kumar", "Kumar Rahul", "same"),
        ("Rahul Kumar", "राहुल", "same"),
        ("Aman Kumar", "Aman Manjhi", "inside"),
        ("Bhola", "Bhola Kumar Paswan", "inside"),
        ("Vikash Yadav", "Bikas Yadav", "alike"),
        ("Rahul Yadav", "Raju Yadav", "shared"),
        ("Rahul Kumar", "Sonu Kumar", "different"),
        ("Puja Singh", "पूजा सिंह", "same"),
        ("Santosh", "संतोष", "same"),
        ("Sunny", "सन्नी", "alike"),
    ],
)
def test_names_compare_as_sets_of_words_with_weak_words_left_out(one, other, level):
    codes = ["same", "inside", "alike", "shared", "different"]
    assert codes[compare_words(strong_words(one), strong_words(other))[0]] == level


def test_a_fathers_name_against_a_mothers_is_no_evidence_but_two_fathers_that_differ_are():
    assert compare_parents(child(1, "Sonu", father="Ramesh Paswan"), child(2, "Sonu", mother="Sunita Devi"))[0] is None
    assert compare_parents(child(1, "Sonu", father="Ramesh Paswan"), child(2, "Sonu", father="Jitan Manjhi"))[0] == 4
    assert (
        compare_parents(child(1, "Sonu", mother="Sunita"), child(2, "Sonu", father="x", mother="Sunita Devi"))[0] == 0
    )


def test_a_rare_name_agreeing_is_stronger_evidence_than_a_common_one():
    parameters = Parameters(
        tf_counts={"name": {"rahul": 2000, "bhola": 3}}, tf_reference={"name": -8.0}, records=100_000
    )
    common = score_pair(child(None, "Rahul"), child(1, "Rahul Kumar"), parameters)
    rare = score_pair(child(None, "Bhola"), child(2, "Bhola Kumar"), parameters)
    assert rare.weight > common.weight + 8
    assert any("(common)" in text for text in common.evidence)
    assert any("(rare)" in text for text in rare.evidence)


def test_shown_hides_no_true_child_of_a_small_labelled_set_and_strong_leaves_one_percent_of_new_children():
    def scored(record_id, weight):
        return Scored(Record(id=record_id), weight, 0.0, {}, [])

    # 150 re-registrations: the true candidate at 18 to 40 bits, one (no parent, name shortened) at 14; 100 new
    # children whose best candidate is a namesake at up to 16 bits.
    results = [([scored(n, 18 + n % 23), scored(1000 + n, 5)], n) for n in range(149)]
    results.append(([scored(149, 14.0)], 149))
    results += [([scored(2000 + n, n / 10)], None) for n in range(99)] + [([scored(3000, 16.0)], None)]
    fitted = training.fit_calibration(results)
    parameters = Parameters(slope=fitted.slope, intercept=fitted.intercept)
    assert fitted.shown <= parameters.probability(14.0)
    new_best = [parameters.probability(n / 10) for n in range(99)] + [parameters.probability(16.0)]
    assert sum(p >= fitted.strong for p in new_best) <= 1


def test_the_age_allows_for_the_years_between_the_two_records():
    earlier = child(1, "Guddu", age=11, on=date(2024, 6, 1))
    assert score_pair(child(None, "Guddu", age=13), earlier, Parameters()).levels["age"] == "fits"
    assert score_pair(child(None, "Guddu", age=15), earlier, Parameters()).levels["age"] == "close"
    assert score_pair(child(None, "Guddu", age=18), earlier, Parameters()).levels["age"] == "other"


@pytest.mark.django_db
def test_score_records_uses_the_extra_fields_of_missing_and_found_children():
    missing = child(None, "Chhotu", village="", height_cm=120, marks="burn mark left hand", languages=("bhojpuri",))
    found = [
        child(10, "Chotu", village="", height_cm=124, marks="burn mark on left hand", languages=("bhojpuri",)),
        child(11, "Chotu", village="", height_cm=150, marks="mole on chin", languages=("bangla",)),
    ]
    [answers] = engine.score_records([missing], found, shown_only=False)
    assert [item.record.id for item in answers] == [10, 11]
    assert answers[0].levels["height"] == "fits" and answers[0].levels["marks"] == "same"
    assert answers[1].levels["height"] == "other" and answers[1].levels["languages"] == "other"
    assert answers[0].probability > answers[1].probability


@pytest.mark.django_db
def test_a_rejected_pair_is_not_scored_again():
    one, other = child(21, "Sonu"), child(22, "Sonu")
    assert engine.score_records([one], [other], shown_only=False)[0]
    services.pair_reject(child_id=22, other_id=21, source=RejectedPair.Source.REVIEW)
    services.pair_reject(child_id=21, other_id=22, source=RejectedPair.Source.REVIEW)  # once
    assert RejectedPair.objects.count() == 1
    assert engine.score_records([one], [other], shown_only=False) == [[]]


VILLAGES = (
    "Dobhi", "Amrapur", "Sherghati", "Imamganj", "Barachatti", "Tekari", "Konch", "Guraru", "Paraiya", "Wazirganj",
    "Atri", "Mohanpur", "Banke", "Fatehpur", "Khizarsarai",
)  # fmt: skip


def _small_registry() -> list[Record]:
    """Sixty families of three children each, and twenty children registered twice with a variation."""
    firsts = ["Rahul", "Sonu", "Aman", "Raju", "Guddu", "Bhola", "Arif", "Chhotu", "Vikash", "Sunil"]
    surnames = ["Manjhi", "Paswan", "Yadav", "Ansari", "Ram", "Mahto"]
    fathers = ["Ramesh", "Suresh", "Jitan", "Karim", "Mahesh", "Lalan", "Dinesh", "Sohan", "Bablu", "Naresh"]
    records, next_id = [], 1
    for family in range(60):
        surname, father = surnames[family % 6], f"{fathers[family % 10]} {surnames[family % 6]}"
        village = VILLAGES[family % 15]
        for sibling in range(3):
            name = f"{firsts[(family + 3 * sibling) % 10]} {surname}"
            records.append(child(next_id, name, father=father, village=village, district=1 + family % 4,
                                 age=8 + (family + 4 * sibling) % 9))  # fmt: skip
            next_id += 1
    for original in records[:60:3]:
        name = original.name.split()[0] + " Kumar"
        records.append(child(next_id, name, father=original.father_name, village=original.village,
                             district=original.district_id, age=original.age + 1))  # fmt: skip
        next_id += 1
    return records


@pytest.mark.django_db
def test_training_estimates_m_and_u_from_the_registry_and_stores_the_model():
    records = _small_registry()
    model = training.train(records)
    assert MatchModel.objects.get(active=True) == model and model.records == len(records)
    m, u = model.parameters["m"], model.parameters["u"]
    assert m["name"][0] > u["name"][0] * 10, "the same name is far likelier for the same child"
    assert u["parent"][4] > m["parent"][4], "another father's name is likelier for another child"
    assert model.term_frequencies.get(table="name", word="rahul").count > 0
    parameters = engine.parameters()
    assert parameters.model_id == model.pk and parameters.records == len(records)
    retrained = training.train(records)
    assert list(MatchModel.objects.filter(active=True)) == [retrained]
