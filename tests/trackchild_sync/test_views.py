"""The CWC member's pages: recording production and orders on a case."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rescue.models import Case, Status
from tests import factories as f
from trackchild_sync.models import CwcOrder

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_cwc_member_records_production_and_an_order_on_the_page(login, cast, places):
    world = f.make_rescue(district=places.gaya, rescued_at=timezone.now() - timedelta(hours=30))
    case = f.make_case(district=places.gaya, rescue=world, cwc=cast.cwc_institution)
    client = login(cast.cwc)
    url = reverse("trackchild:cwc-order-create", args=[case.case_number])
    data = {
        "produced_at": _local(timezone.now() - timedelta(hours=1)),
        "kind": "cci_placement",
        "order_number": "CWC/GAYA/7",
        "ordered_on": timezone.localdate().isoformat(),
        "cci": cast.cci_institution.pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "record the reason" in response.text
    assert Case.objects.get(pk=case.pk).status == Status.RESCUED
    response = client.post(url, data | {"late_reason": "The child needed hospital care first."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_SHELTER and case.production_late and case.cci == cast.cci_institution


def test_an_empty_order_form_says_what_is_missing_and_records_nothing(login, cast, places):
    case = f.make_case_at(Status.PRODUCED, cast, places)
    blank = {"kind": "", "order_number": "", "ordered_on": "", "cci": "", "restored_to": "", "notes": ""}
    response = login(cast.cwc).post(reverse("trackchild:cwc-order-create", args=[case.case_number]), blank)
    assert response.status_code == 200 and "Choose the order of the Committee." in response.text
    assert "are recorded" not in response.text and not CwcOrder.objects.filter(case=case).exists()
