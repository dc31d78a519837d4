"""Import-export resources: exports carry no identifier hash; imports validate rows and keep name keys."""

import pytest
import tablib

from rescue.matching import aadhaar_hash
from rescue.models import Case, Child
from rescue.resources import CaseResource, ChildResource
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_child_export_has_no_identifier_hash_or_keys(places):
    f.make_child(name="Test Child Export", aadhaar_last4="9999", aadhaar_hash=aadhaar_hash("9999" * 3))
    dataset = ChildResource().export()
    assert "aadhaar_hash" not in dataset.headers and "name_key" not in dataset.headers
    assert "aadhaar_last4" in dataset.headers


def test_child_import_by_lgd_codes_computes_the_name_key(places):
    places.gaya.lgd_code = 203
    places.gaya.save()
    places.bihar.lgd_code = 10
    places.bihar.save()
    headers = ["name", "sex", "age_years", "age_assessment", "home_state_lgd", "home_district_lgd"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["लक्ष्मी टेस्ट", "f", 12, "declared", 10, 203])
    result = ChildResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    child = Child.objects.get()
    assert child.home_district == places.gaya and child.name_key.startswith("laxmi")


def test_a_row_that_breaks_a_rule_is_refused_and_nothing_is_written(places):
    dataset = tablib.Dataset(headers=["name", "sex", "age_years", "age_assessment"])
    dataset.append(["Test Child Bad", "x", 12, "declared"])  # no such sex, no home state
    result = ChildResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert result.has_validation_errors()
    assert not Child.objects.exists()


def test_cases_round_trip_by_case_number(places):
    case = f.make_case(district=places.gaya, wage_per_month="2500.50")
    dataset = CaseResource().export()
    assert case.case_number in dataset["case_number"]
    Case.objects.filter(pk=case.pk).update(wage_per_month=0)
    result = CaseResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True)
    assert not result.has_errors() and not result.has_validation_errors()
    case.refresh_from_db()
    assert str(case.wage_per_month) == "2500.50"
