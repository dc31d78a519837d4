"""Import-export resources: exports carry no identifier hash; imports validate rows and keep name keys."""

import pytest
import tablib

from rescue.matching import aadhaar_hash
from rescue.models import Case, CaseEvent, Child, Status
from rescue.resources import CaseEventResource, CaseResource, ChildResource
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_child_export_has_no_identifier_hash_or_keys(places):
    f.make_child(name="Test Child Export", aadhaar_last4="9999", aadhaar_hash=aadhaar_hash("9999" * 3))
    dataset = ChildResource().export()
    assert "aadhaar_hash" not in dataset.headers and "name_key" not in dataset.headers
    assert "aadhaar_last4" in dataset.headers


def test_child_import_by_lgd_codes_computes_the_name_key(places, cast):
    places.gaya.lgd_code = 203
    places.gaya.save()
    places.bihar.lgd_code = 10
    places.bihar.save()
    headers = ["name", "sex", "age_years", "age_assessment", "home_state_lgd", "home_district_lgd"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append(["लक्ष्मी टेस्ट", "f", 12, "declared", 10, 203])
    result = ChildResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.admin)
    assert not result.has_errors() and not result.has_validation_errors()
    child = Child.objects.get()
    assert child.home_district == places.gaya and child.name_key.startswith("laxmi")


def test_a_row_that_breaks_a_rule_is_refused_and_nothing_is_written(places, cast):
    dataset = tablib.Dataset(headers=["name", "sex", "age_years", "age_assessment"])
    dataset.append(["Test Child Bad", "x", 12, "declared"])  # no such sex, no home state
    result = ChildResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.admin)
    assert result.has_validation_errors()
    assert not Child.objects.exists()


def test_cases_round_trip_by_case_number(places, cast):
    case = f.make_case(district=places.gaya, wage_per_month="2500.50")
    dataset = CaseResource().export()
    assert case.case_number in dataset["case_number"]
    Case.objects.filter(pk=case.pk).update(wage_per_month=0)
    result = CaseResource().import_data(dataset, dry_run=False, rollback_on_validation_errors=True, user=cast.district)
    assert not result.has_errors() and not result.has_validation_errors()
    case.refresh_from_db()
    assert str(case.wage_per_month) == "2500.50"


# --- Writes scoped like reads, and never the workflow ----------------------------------------------------------


def _import(resource, rows: list[dict], user):
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    return resource.import_data(dataset, dry_run=False, rollback_on_validation_errors=True, user=user)


def test_an_import_never_sets_workflow_state(places, cast):
    case = f.make_case(district=places.gaya, status=Status.IN_SHELTER)
    row = {"case_number": case.case_number, "status": Status.CLOSED, "district": "", "wage_per_month": "1200.00"}
    result = _import(CaseResource(), [row], cast.district)
    assert not result.has_errors(), result.base_errors
    case.refresh_from_db()
    assert case.status == Status.IN_SHELTER and case.district == places.gaya
    assert str(case.wage_per_month) == "1200.00"
    # A case is registered in the portal (case number, timeline), never created by an import.
    result = _import(CaseResource(), [{"case_number": "BR-GAY-2026-999999", "wage_per_month": "1"}], cast.admin)
    assert result.has_errors() and not Case.objects.filter(case_number="BR-GAY-2026-999999").exists()


def test_an_import_touches_only_rows_in_the_users_area_or_writes_nothing(places, cast):
    gaya = f.make_case(district=places.gaya)
    patna = f.make_case(district=places.patna)
    rows = [
        {"id": patna.child_id, "name": "Test Renamed Patna", "sex": "m", "age_assessment": "declared"},
        {"id": gaya.child_id, "name": "Test Renamed Gaya", "sex": "m", "age_assessment": "declared"},
    ]
    result = _import(ChildResource(), rows, cast.outsider)
    assert result.has_errors()
    # All or nothing: the Patna row, which the officer may change, is not written either.
    assert not Child.objects.filter(name__startswith="Test Renamed").exists()
    result = _import(ChildResource(), rows[:1], cast.outsider)
    assert not result.has_errors()
    assert Child.objects.get(pk=patna.child_id).name == "Test Renamed Patna"
    # A grant reads a case; it does not let an import change it.
    from guardian.shortcuts import assign_perm

    assign_perm("view_case", cast.outsider, gaya)
    assert _import(ChildResource(), rows[1:], cast.outsider).has_errors()
    assert Child.objects.get(pk=gaya.child_id).name != "Test Renamed Gaya"
    # A new child would belong to no case of the officer's: refused.
    places.bihar.lgd_code = 10
    places.bihar.save()
    new = {"name": "Test New Child", "sex": "m", "age_years": 9, "age_assessment": "declared", "home_state_lgd": 10}
    assert _import(ChildResource(), [new], cast.outsider).has_errors()
    assert not Child.objects.filter(name="Test New Child").exists()


def test_records_kept_by_the_services_are_never_imported(places, cast):
    case = f.make_case(district=places.gaya)
    event = f.make_event(case, reason="Test event")
    dataset = CaseEventResource().export()
    CaseEvent.objects.filter(pk=event.pk).update(reason="changed")
    result = CaseEventResource().import_data(dataset, dry_run=False, user=cast.admin)
    assert result.has_errors()
    assert CaseEvent.objects.get(pk=event.pk).reason == "changed"


def test_an_import_needs_the_importing_user(places):
    f.make_case(district=places.gaya)
    dataset = ChildResource().export()
    assert ChildResource().import_data(dataset, dry_run=False).has_errors()
