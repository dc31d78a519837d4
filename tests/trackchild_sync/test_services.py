"""The Committee's proceedings on a case: production and orders, through trackchild_sync.services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rescue.models import Case, CaseEvent, Status
from tests import factories as f
from trackchild_sync.models import CwcOrder
from trackchild_sync.services import cwc_order_record

pytestmark = pytest.mark.django_db

S = Status


def test_cwc_member_records_production_and_a_cci_placement(cast, places):
    case = f.make_case_at(S.RESCUED, cast, places)
    produced_at = case.rescue.rescued_at + timedelta(hours=5)
    moved = cwc_order_record(
        case=case,
        actor=cast.cwc,
        produced_at=produced_at,
        kind="cci_placement",
        ordered_on=timezone.localdate(),
        order_number="CWC/GAYA/1",
        cci=cast.cci_institution,
    )
    assert moved.status == S.IN_SHELTER and moved.cci == cast.cci_institution
    order = case.cwc_orders.get()
    assert (order.kind, order.order_number, order.cwc) == ("cci_placement", "CWC/GAYA/1", cast.cwc_institution)
    kinds = list(case.events.values_list("kind", "to_status"))
    assert ("transition", S.PRODUCED) in kinds and ("transition", S.IN_SHELTER) in kinds and ("cwc_order", "") in kinds


def test_cwc_order_of_restoration_restores_the_child(cast, places):
    case = f.make_case_at(S.IN_SHELTER, cast, places)
    moved = cwc_order_record(
        case=case,
        actor=cast.cwc,
        kind="restoration",
        ordered_on=timezone.localdate(),
        restored_to="Mother",
        restored_place="Home",
    )
    assert moved.status == S.RESTORED


def test_cwc_order_refuses_late_production_without_reason_and_writes_nothing(cast, places):
    case = f.make_case_at(S.RESCUED, cast, places)
    with pytest.raises(ValidationError) as refused:
        cwc_order_record(
            case=case,
            actor=cast.cwc,
            produced_at=case.rescue.rescued_at + timedelta(hours=48),
            kind="interim_shelter",
            ordered_on=timezone.localdate(),
            cci=cast.cci_institution,
        )
    assert "late_reason" in refused.value.message_dict
    case.refresh_from_db()
    assert case.status == S.RESCUED and not case.cwc_orders.exists() and not case.events.exists()


def test_a_placement_order_needs_a_cci_and_only_cwc_members_record_orders(cast, places):
    case = f.make_case_at(S.PRODUCED, cast, places)
    with pytest.raises(ValidationError):
        cwc_order_record(case=case, actor=cast.cwc, kind="cci_placement", ordered_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        cwc_order_record(case=case, actor=cast.district, kind="restoration", ordered_on=timezone.localdate())


def test_an_order_form_with_nothing_in_it_is_refused_and_records_nothing(cast, places):
    case = f.make_case_at(S.PRODUCED, cast, places)
    with pytest.raises(ValidationError) as refused:
        cwc_order_record(case=case, actor=cast.cwc, kind="", ordered_on=None)
    assert "kind" in refused.value.message_dict
    assert not CwcOrder.objects.filter(case=case).exists() and not CaseEvent.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == S.PRODUCED


def test_a_restoration_names_to_whom_the_child_is_restored(cast, places):
    case = f.make_case_at(S.IN_SHELTER, cast, places)
    with pytest.raises(ValidationError) as refused:
        cwc_order_record(case=case, actor=cast.cwc, kind="restoration", ordered_on=timezone.localdate())
    assert "restored_to" in refused.value.message_dict
    assert Case.objects.get(pk=case.pk).status == S.IN_SHELTER and not CwcOrder.objects.filter(case=case).exists()
