"""clts.core.copying: rows written by COPY read back as the ORM wrote them, with ids, and each in the audit trail."""

from datetime import timedelta

import pghistory
import pytest
from django.db import transaction
from django.utils import timezone
from psycopg2 import errors

from clts.accounts.roles import Role
from clts.core.copying import CopySender, copy_insert, copy_statement, next_ids
from rescue.models import Case, CaseEvent, CaseEventHistory, CaseHistory, RescueOperation
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


def _event(case, actor, reason):
    return {"case_id": case.pk, "kind": CaseEvent.Kind.REGISTERED, "at": timezone.now(), "actor_id": actor.pk,
            "reason": reason, "data": {}}  # fmt: skip


def test_copies_sent_by_their_own_thread_are_written_in_order_in_the_audit_trail_while_queries_go_on():
    actor, case = f.make_user(Role.ADMIN), f.make_case()
    with pghistory.context(user=actor.pk, url="import:8"), CopySender() as sender:
        first = [_event(case, actor, "first")]
        sender.send([copy_statement(CaseEvent, first)])
        assert Case.objects.filter(pk=case.pk).exists()  # the caller's own queries wait their turn
        second = [_event(case, actor, "second"), _event(case, actor, "third")]
        sender.send([copy_statement(CaseEvent, second)])

    written = CaseEvent.objects.filter(pk__in=[row["id"] for row in first + second]).order_by("pk")
    assert list(written.values_list("reason", flat=True)) == ["first", "second", "third"]
    history = CaseEventHistory.objects.filter(pgh_obj_id__in=[event.pk for event in written], pgh_label="insert")
    assert {event.pgh_context.metadata["url"] for event in history} == {"import:8"} and history.count() == 3


def test_a_copy_that_fails_in_the_sender_raises_in_the_caller_and_its_transaction_keeps_nothing():
    actor, case = f.make_user(Role.ADMIN), f.make_case()
    before = CaseEvent.objects.count()
    with pytest.raises(errors.NotNullViolation), transaction.atomic(), CopySender() as sender:
        good, bad = [_event(case, actor, "good")], [_event(case, actor, "bad") | {"case_id": None}]
        sender.send([copy_statement(CaseEvent, good), copy_statement(CaseEvent, bad)])
        sender.send([copy_statement(CaseEvent, [_event(case, actor, "after")])])
    assert CaseEvent.objects.count() == before
