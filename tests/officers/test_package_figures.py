"""Issue 11.11: the packages page's figures agree with its rows (live for a district; the build time for the state)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from rehabilitation import services
from tests import factories as f
from tests.rehabilitation.conftest import restored_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def sanctioned(places, cast):
    case = restored_case(places, cast)
    return f.make_package(
        case,
        components=[
            {
                "planned_amount": Decimal("20000.00"),
                "status": "sanctioned",
                "sanction_order_number": "SO-T1",
                "sanctioned_on": timezone.localdate() - timedelta(days=1),
                "sanctioned_amount": Decimal("20000.00"),
            }
        ],
    )


def test_the_district_officer_sees_the_sanction_counted_before_any_build(client, cast, sanctioned):
    client.force_login(cast.district)
    body = client.get(reverse("rehabilitation:package-list")).content.decode()
    assert sanctioned.case.case_number in body
    assert "No sanctions" not in body
    assert "20000.00" in body and "Figures as of now" in body


def test_the_state_sees_when_the_figures_were_built(client, cast, sanctioned):
    client.force_login(cast.state)
    body = client.get(reverse("rehabilitation:package-list")).content.decode()
    assert "The figures have not been built yet" in body and "No sanctions" not in body
    services.figures_refresh()
    body = client.get(reverse("rehabilitation:package-list")).content.decode()
    assert "20000.00" in body and "when they were last built" in body
