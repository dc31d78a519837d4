"""clts.core.copying: rows written by COPY read back as the ORM wrote them, with ids, and each in the audit trail."""

from datetime import timedelta

import pghistory
import pytest
from django.utils import timezone

from clts.accounts.roles import Role
from clts.core.copying import copy_insert, next_ids
from rescue.models import Case, CaseEvent, CaseHistory, RescueOperation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_rows_written_by_copy_read_back_as_written_with_ids_from_the_sequence():
    case = f.make_case()
    actor = f.make_user(Role.ADMIN)
    at = timezone.now() - timedelta(days=3)
    tricky = 'A reason with a tab\there, a new line\nthere, a back\\slash, "quotes" and हिंदी'
    events = [
        CaseEvent(case=case, kind=CaseEvent.Kind.TRANSITION, at=at, actor=actor, reason=tricky,
                  from_status="rescued", to_status="produced", data={"late": True, "note": tricky, "n": [1, None]}),
        CaseEvent(case=case, kind=CaseEvent.Kind.REGISTERED, at=at, actor=actor, data={}),
    ]  # fmt: skip
    copy_insert(events)

    assert all(event.pk for event in events) and events[0].pk < events[1].pk
    stored = CaseEvent.objects.get(pk=events[0].pk)
    assert (stored.reason, stored.data, stored.at, stored.actor_id) == (
        tricky,
        {"late": True, "note": tricky, "n": [1, None]},
        at,
        actor.pk,
    )
    assert stored.kind == CaseEvent.Kind.TRANSITION and stored.from_status == "rescued"
    # The sequence moved past the COPY's ids: the next ORM insert does not collide.
    later = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.REGISTERED, at=at, actor=actor)
    assert later.pk > events[1].pk
    assert next_ids(CaseEvent, 2)[0] > later.pk


def test_arrays_nulls_and_fields_that_set_themselves():
    district = f.make_district()
    operation = RescueOperation(
        rescued_at=timezone.now(),
        state=district.state,
        district=district,
        block=None,
        industry="brick_kiln",
        led_by="labour",
        sections=["CLPRA s.3", 'with "quote", comma', "back\\slash"],
        created_by=f.make_user(Role.ADMIN),
    )
    copy_insert([operation])
    stored = RescueOperation.objects.get(pk=operation.pk)
    assert stored.sections == ["CLPRA s.3", 'with "quote", comma', "back\\slash"]
    assert stored.block_id is None and stored.created_at is not None


def test_every_row_written_by_copy_is_in_the_audit_trail_with_who_and_why():
    actor = f.make_user(Role.ADMIN)
    template = f.make_case()
    cases = [
        Case(case_number=f"BR-TST-2026-9{i:05d}", child=f.make_child(home_district=template.home_district),
             rescue=f.make_rescue(district=template.district), category=template.category,
             age_at_rescue=12, rescued_on=template.rescued_on, district=template.district,
             home_district=template.home_district,
             status_changed_at=timezone.now(), created_by=actor)
        for i in range(3)
    ]  # fmt: skip
    with pghistory.context(user=actor.pk, url="import:7"):
        copy_insert(cases)

    history = CaseHistory.objects.filter(pgh_obj_id__in=[case.pk for case in cases], pgh_label="insert")
    assert sorted(history.values_list("case_number", flat=True)) == [case.case_number for case in cases]
    assert {(event.pgh_context.metadata["user"], event.pgh_context.metadata["url"]) for event in history} == {
        (actor.pk, "import:7")
    }
