"""CWC orders are personal data of the case: seen where the case is seen, and audited."""

import pytest

from tests import factories as f
from trackchild_sync.models import CwcOrder

pytestmark = pytest.mark.django_db


def test_an_order_is_seen_where_its_case_is_seen(cast, places):
    case = f.make_case(district=places.gaya, cwc=cast.cwc_institution, cci=cast.cci_institution)
    order = f.make_cwc_order(case, cwc=cast.cwc_institution)
    for role in ("state", "district", "cwc", "cci", "admin"):
        assert list(CwcOrder.objects.visible_to(getattr(cast, role))) == [order], role
    for role in ("outsider", "nodal", "field"):
        assert not CwcOrder.objects.visible_to(getattr(cast, role)).exists(), role


def test_orders_are_in_the_audit_trail(cast, places):
    order = f.make_cwc_order(f.make_case(district=places.gaya), cwc=cast.cwc_institution)
    order.order_number = "CWC/GAYA/2"
    order.save()
    assert [event.pgh_label for event in order.history.order_by("pgh_id")] == ["insert", "update"]
