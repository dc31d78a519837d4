"""Restoring a case through the case workflow starts its package and visit schedule, once."""

import pytest
from django.core.exceptions import ValidationError

from rehabilitation.models import Package, Visit
from rescue.models import Status
from rescue.services import case_transition
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_restoration_by_the_cwc_starts_the_package_and_the_visits(cast, places, bihar_templates):
    case = f.make_case(
        district=places.gaya,
        block=places.bodh_gaya,
        home_block=places.bodh_gaya,
        status=Status.PRODUCED,
        cwc=cast.cwc_institution,
    )
    assert not Package.objects.filter(case=case).exists()

    case_transition(case=case, to=Status.RESTORED, actor=cast.cwc, reason="Order: restore to the mother")

    package = Package.objects.get(case=case)
    assert package.components.exists()
    visits = Visit.objects.filter(case=case)
    assert visits.count() > 0
    assert all(visit.assigned_to is None or visit.assigned_to.block_id == places.bodh_gaya.pk for visit in visits)


def test_a_failed_restoration_starts_nothing(cast, places, bihar_templates):
    case = f.make_case(district=places.gaya, status=Status.RESCUED, cwc=cast.cwc_institution)
    with pytest.raises(ValidationError):  # rescued -> restored is not in the table
        case_transition(case=case, to=Status.RESTORED, actor=cast.cwc, reason="too early")
    assert not Package.objects.filter(case=case).exists()
    assert not Visit.objects.filter(case=case).exists()
