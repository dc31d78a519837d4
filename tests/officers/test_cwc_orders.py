"""Issue 11.5: CWC orders are checked: a restoration names the person and the place; a placement in a CCI that does
not take the child's sex or age asks for the Committee's explicit exception; the late-production notice shows only
while it applies."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rescue.models import Case, Status
from tests import factories as f
from trackchild_sync import queries
from trackchild_sync.models import CwcOrder
from trackchild_sync.services import cwc_order_record

pytestmark = pytest.mark.django_db


def test_a_restoration_names_the_person_and_the_place(cast, places):
    case = f.make_case_at(Status.IN_SHELTER, cast, places)
    with pytest.raises(ValidationError) as refused:
        cwc_order_record(
            case=case, actor=cast.cwc, kind="restoration", ordered_on=timezone.localdate(), restored_to="Mother"
        )
    assert "restored_place" in refused.value.message_dict
    cwc_order_record(
        case=case,
        actor=cast.cwc,
        kind="restoration",
        ordered_on=timezone.localdate(),
        restored_to="Test Mother",
        restored_place="Test Village Bakraur, near the school",
    )
    order = CwcOrder.objects.get(case=case)
    assert (order.restored_to, order.restored_place) == ("Test Mother", "Test Village Bakraur, near the school")


def test_a_placement_the_home_does_not_take_asks_for_the_committees_exception(cast, places):
    home = cast.cci_institution
    home.sexes_taken = "m"
    home.save()
    case = f.make_case_at(Status.PRODUCED, cast, places, child=f.make_child(sex="f", home_district=places.gaya))
    order = {"case": case, "actor": cast.cwc, "kind": "cci_placement", "ordered_on": timezone.localdate(), "cci": home}
    with pytest.raises(ValidationError) as refused:
        cwc_order_record(**order)
    assert "exception_order" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).status == Status.PRODUCED
    cwc_order_record(**order, exception_order="Test: the only home in the district; the sister is there.")
    assert Case.objects.get(pk=case.pk).status == Status.IN_SHELTER


def test_the_late_production_notice_shows_only_while_it_applies(client, cast, places):
    late = f.make_case(
        district=places.gaya,
        cwc=cast.cwc_institution,
        rescue=f.make_rescue(district=places.gaya, rescued_at=timezone.now() - timedelta(hours=30)),
    )
    fresh = f.make_case(
        district=places.gaya,
        cwc=cast.cwc_institution,
        rescue=f.make_rescue(district=places.gaya, rescued_at=timezone.now() - timedelta(hours=3)),
    )
    assert queries.production_overdue(late) and not queries.production_overdue(fresh)
    client.force_login(cast.cwc)
    url = "trackchild:cwc-order-create"
    assert "More than 24 hours have passed" in client.get(reverse(url, args=[late.case_number])).content.decode()
    assert "More than 24 hours have passed" not in client.get(reverse(url, args=[fresh.case_number])).content.decode()
    cwc_order_record(case=late, actor=cast.cwc, produced_at=timezone.now(), late_reason="Test: no vehicle.")
    late.refresh_from_db()
    assert late.production_late and not queries.production_overdue(late)
    assert "More than 24 hours have passed" not in client.get(reverse(url, args=[late.case_number])).content.decode()
