"""The benchmark data (made in SQL) names children with the synthetic registry's frequencies (made in Python)."""

from collections import Counter

import pytest

from clts.core.identifiers import identifier_hash
from clts.matching.names import name_key
from rescue.models import Child
from tests.bench.dataset import bench_aadhaar, ensure_cases
from tests.synthetic.registry import generate_registry

pytestmark = pytest.mark.django_db

CASES = 8_000


def _shares(names: list[str], top: int = 8) -> dict[str, float]:
    return {name: count / len(names) for name, count in Counter(names).most_common(top)}


def test_benchmark_children_are_named_and_related_as_the_registry_makes_them():
    data = ensure_cases(CASES)
    children = list(Child.objects.values_list("name", "father_name", "mother_name", "home_village_text", "name_key"))
    assert len(children) == CASES == data.cases
    bench = _shares([name for name, *_ in children], top=15)
    registry = _shares([record.name for record in generate_registry(CASES, seed=5).records])
    # The same most common names, with about the same shares (Rahul Kumar about one child in twenty).
    assert list(bench)[:2] == list(registry)[:2] == ["Rahul Kumar", "Sonu Kumar"]
    assert set(registry) <= set(bench)
    assert bench["Rahul Kumar"] == pytest.approx(registry["Rahul Kumar"], rel=0.3)
    assert 0.03 < bench["Rahul Kumar"] < 0.07
    names = Counter(name for name, *_ in children)
    assert names["Mohd Arif"] + names["मो० आरिफ"] > 0 and names["Khushbu Khatun"] > 0
    # Parents, villages and scripts as in a register; the matching keys as Child.save makes them.
    assert sum(1 for _n, father, *_ in children if father) / CASES > 0.9
    assert sum(1 for *_, village, _k in children if village) == CASES
    assert 0.1 < sum(1 for name, *_ in children if not name.isascii()) / CASES < 0.2
    for name, _father, _mother, _village, key in children[:500]:
        assert key == name_key(name)
    child = Child.objects.exclude(father_name="").exclude(mother_name="").first()
    assert child.guardian_key == name_key(child.father_name, child.mother_name)

    # Brothers and sisters (consecutive cases of one family) share parents, village and rescue.
    rows = list(
        Child.objects.order_by("id").values_list(
            "father_name", "home_village_text", "home_district_id", "cases__rescued_on"
        )
    )
    pairs = sum(1 for a, b in zip(rows, rows[1:], strict=False) if a[0] and a == b)
    assert 0.05 < pairs / CASES < 0.2

    # A third of the children have a synthetic Aadhaar, found by its hash as a registration finds it.
    with_hash = Child.objects.exclude(aadhaar_hash="")
    assert 0.3 < with_hash.count() / CASES < 0.4
    first = Child.objects.order_by("id").first()
    index = next(
        i for i in range(1, CASES + 1) if Child.objects.filter(pk=first.pk + i - 1).exclude(aadhaar_hash="").exists()
    )
    child = Child.objects.get(pk=first.pk + index - 1)
    assert (
        child.aadhaar_hash == identifier_hash(bench_aadhaar(index)) and child.aadhaar_last4 == bench_aadhaar(index)[-4:]
    )
