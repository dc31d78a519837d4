"""Issue 11.9: only the receiving district is offered "Acknowledge receipt"; the sender sees its transfer pending."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_to_gaya(places, cast):
    """A case rescued in Patna whose home is Gaya, sent by Patna and not yet acknowledged."""
    case = f.make_case(district=places.patna, home_district=places.gaya, home_block=places.bodh_gaya)
    return f.make_transfer(case, initiated_by=cast.outsider)


def test_the_sending_district_sees_pending_and_no_acknowledge_button(client, sent_to_gaya, cast):
    client.force_login(cast.outsider)  # Patna's district officer
    page = client.get(reverse("rescue:case-detail", args=[sent_to_gaya.case.case_number])).content.decode()
    assert "Acknowledge receipt" not in page
    assert "Waiting for Gaya to acknowledge receipt." in page
    listing = client.get(reverse("rescue:transfer-list")).content.decode()
    assert sent_to_gaya.case.case_number in listing and "Acknowledge receipt" not in listing
    assert "Sent by your district, waiting for the receiving district" in listing


def test_the_receiving_district_is_offered_the_acknowledgment(client, sent_to_gaya, cast):
    client.force_login(cast.district)  # Gaya's district officer
    page = client.get(reverse("rescue:case-detail", args=[sent_to_gaya.case.case_number])).content.decode()
    assert "Acknowledge receipt" in page
    assert "Waiting for Gaya" not in page
