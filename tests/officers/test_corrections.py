"""Issue 11.2: a case can be corrected (with a reason, audited, on the timeline) and can always move on: a case
registered without a CWC can be given one, and that CWC then sees it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rescue import queries, services
from rescue.models import Case, CaseEvent, Child, Status
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(places, cast):
    rescue = f.make_rescue(district=places.gaya, block=places.bodh_gaya, created_by=cast.block)
    return f.make_case(district=places.gaya, block=places.bodh_gaya, home_block=places.bodh_gaya, rescue=rescue)


def test_the_childs_particulars_are_corrected_with_a_reason_on_the_timeline(cast, case):
    services.child_correct(
        case=case,
        actor=cast.block,
        fields={"name": "Test Sonu Kumar", "father_name": "Test Ramesh"},
        reason="Spelt wrong",
    )
    child = Child.objects.get(pk=case.child_id)
    assert child.name == "Test Sonu Kumar" and child.father_name == "Test Ramesh"
    event = case.events.get(kind=CaseEvent.Kind.CORRECTED)
    assert event.actor == cast.block and event.reason == "Spelt wrong"
    assert sorted(event.corrected_labels) == ["father's name", "name"]
    # Audited: the record's history keeps the old name.
    assert child.history.filter(name__startswith="Test Child").exists()


def test_a_correction_needs_a_reason_and_a_change(cast, case):
    with pytest.raises(ValidationError, match="Say why"):
        services.child_correct(case=case, actor=cast.district, fields={"name": "Test New"}, reason=" ")
    with pytest.raises(ValidationError, match="Nothing was changed"):
        services.child_correct(case=case, actor=cast.district, fields={"name": case.child.name}, reason="x")


def test_roles_that_may_not_correct_are_refused(cast, case):
    with pytest.raises(PermissionDenied):
        services.child_correct(case=case, actor=cast.cwc, fields={"name": "Test New"}, reason="x")


def test_the_rescues_details_are_corrected_on_every_case_of_the_rescue(places, cast, case):
    sibling = f.make_case(district=places.gaya, block=places.bodh_gaya, rescue=case.rescue)
    services.rescue_correct(case=case, actor=cast.district, fields={"fir_number": "FIR 12/2026"}, reason="From the PS")
    case.rescue.refresh_from_db()
    assert case.rescue.fir_number == "FIR 12/2026"
    for each in (case, sibling):
        assert each.events.filter(kind=CaseEvent.Kind.CORRECTED, data__rescue_fields=["fir_number"]).exists()


def test_a_case_without_a_cwc_is_given_one_and_that_cwc_sees_it_and_records_the_production(cast, case):
    assert case.cwc is None
    assert not Case.objects.visible_to(cast.cwc).filter(pk=case.pk).exists()
    services.case_cwc_assign(case=case, cwc=cast.cwc_institution, actor=cast.district, reason="Registered without")
    assert Case.objects.visible_to(cast.cwc).filter(pk=case.pk).exists()
    case = queries.case_for_page(user=cast.cwc, case_number=case.case_number, write=True)
    services.case_transition(case=case, to=Status.PRODUCED, actor=cast.cwc, reason="Produced", late_reason="Test")
    assert Case.objects.get(pk=case.pk).status == Status.PRODUCED


def test_the_cwc_of_a_produced_child_is_not_changed_here(places, cast):
    case = f.make_case_at(Status.PRODUCED, cast, places, produced_at=timezone.now())
    with pytest.raises(ValidationError, match="produced before a CWC already"):
        services.case_cwc_assign(case=case, cwc=cast.cwc_institution, actor=cast.district, reason="x")


def test_the_correction_page_saves_one_part_and_keeps_what_was_typed_on_error(client, cast, case):
    client.force_login(cast.block)
    url = reverse("rescue:case-correct", args=[case.case_number])
    page = client.get(url).content.decode()
    assert "The case was registered without a CWC" in page
    response = client.post(url, {"part": "cwc", "cwc-cwc": cast.cwc_institution.pk, "cwc-reason": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    response = client.post(url, {"part": "cwc", "cwc-cwc": cast.cwc_institution.pk, "cwc-reason": "Test reason"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).cwc == cast.cwc_institution
