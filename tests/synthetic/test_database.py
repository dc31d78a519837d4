"""The synthetic registry goes into the database as children with a case each, quickly and findable."""

import time

import pytest

from clts.matching.names import name_key
from rescue.models import Case, Child
from tests.synthetic.database import write_registry
from tests.synthetic.registry import generate_registry

pytestmark = pytest.mark.django_db


def test_records_become_children_with_a_case_each():
    registry = generate_registry(3000, seed=3)
    started = time.monotonic()
    written = write_registry(registry.records)
    seconds = time.monotonic() - started
    assert Child.objects.count() == 3000 and Case.objects.count() == 3000
    assert seconds < 20
    record = registry.records[1234]
    child = Child.objects.get(pk=written.child_pk(record))
    assert written.record_id(child.pk) == record.id
    assert (child.name, child.father_name, child.home_village_text) == (
        record.name,
        record.father_name,
        record.home_village_text,
    )
    assert child.name_key == name_key(record.name)
    assert child.home_district.lgd_code == record.home_district_lgd
    assert child.home_block.lgd_code == record.home_block_lgd
    case = child.cases.get()
    assert case.age_at_rescue == record.age_years and case.rescued_on == record.rescued_on
    assert case.case_number.endswith(str(90_000_000 + case.pk))
    # Children with a synthetic Aadhaar are found by its hash, as a registration finds them.
    with_aadhaar = next(r for r in registry.records if r.aadhaar)
    from clts.core.identifiers import identifier_hash

    assert Child.objects.get(aadhaar_hash=identifier_hash(with_aadhaar.aadhaar)).pk == written.child_pk(with_aadhaar)
    # New rows after the load take the next ids.
    assert Child.objects.order_by("-pk").first().pk == written.child_pk(registry.records[-1])


def test_a_second_registry_goes_in_after_the_first():
    first = write_registry(generate_registry(500, seed=1).records)
    second = write_registry(generate_registry(500, seed=2).records, seed=2)
    assert second.child_offset == first.child_offset + 500
    assert Child.objects.count() == 1000 and Case.objects.values("case_number").distinct().count() == 1000
