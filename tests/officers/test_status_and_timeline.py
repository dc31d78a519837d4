"""Issue 11.4 (the status follows the work, by one table) and 11.3 (the timeline tells the whole story, in order,
system texts in the reader's language)."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from rehabilitation import progress, services
from rehabilitation.models import Component
from rescue import queries as rescue_queries
from rescue.models import CaseEvent, Status
from tests import factories as f
from tests.factories import SAFE_VISIT as SAFE
from tests.rehabilitation.conftest import disburse, restored_case, sanction

pytestmark = pytest.mark.django_db


def _restored_with_package(places, cast):
    """Restored through the hook (as a CWC order does): the package is made and the visits scheduled, nothing done."""
    case = restored_case(places, cast, days_ago=10)
    services.case_restored(case=case, actor=cast.cwc)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("work", "started", "complete"),
    [
        (progress.Work(components=3, components_open=3), False, False),
        (progress.Work(components=3, components_moved=1, components_open=3), True, False),
        (progress.Work(components=3, visits_recorded=1, components_open=3), True, False),
        (progress.Work(components=3, enrolments=1, components_open=3), True, False),
        (progress.Work(components=2, components_moved=2, components_open=0), True, True),
        (progress.Work(components=0, visits_recorded=2), True, False),
    ],
)
def test_the_table_reads_the_work(work, started, complete):
    assert work.started is started and work.package_complete is complete


def test_the_table_moves_forward_only_from_restored_and_under_rehabilitation():
    steps = [(step.from_status, step.to_status) for step in progress.STATUS_FOLLOWS_WORK]
    assert steps == [(Status.RESTORED, Status.REHABILITATION), (Status.REHABILITATION, Status.FOLLOW_UP)]


def test_a_restored_case_with_only_a_planned_package_stays_restored(places, cast, bihar_templates):
    case = _restored_with_package(places, cast)
    assert case.package.components.exists()
    assert case.status == Status.RESTORED


def test_a_sanction_puts_the_case_under_rehabilitation_and_the_last_disbursement_under_follow_up(
    places, cast, bihar_templates
):
    case = _restored_with_package(places, cast)
    components = list(case.package.components.order_by("pk"))
    first, rest = components[0], components[1:]
    sanction(first, cast.district)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION
    for component in rest:
        services.component_waive(component=component, reason="Test: not applicable.", actor=cast.district)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION  # the sanctioned one is still open
    disburse(Component.objects.get(pk=first.pk), cast.district)
    case.refresh_from_db()
    assert case.status == Status.FOLLOW_UP
    moves = list(case.events.filter(kind=CaseEvent.Kind.TRANSITION).values_list("to_status", flat=True))
    assert moves[-2:] == [Status.REHABILITATION, Status.FOLLOW_UP]


def test_a_visit_recorded_by_the_field_worker_puts_the_case_under_rehabilitation(places, cast, bihar_templates):
    case = _restored_with_package(places, cast)
    visit = case.visits.order_by("sequence").first()
    services.visit_record(visit=visit, visited_on=timezone.localdate(), actor=cast.field, **SAFE)
    case.refresh_from_db()
    assert case.status == Status.REHABILITATION
    move = case.events.filter(kind=CaseEvent.Kind.TRANSITION).latest("at")
    assert move.actor == cast.field and move.data.get("by_work") is True


def test_a_decided_case_is_not_moved_by_the_work(places, cast):
    case = restored_case(places, cast, status=Status.LOST_CONTACT)
    f.make_visit(case, assigned_to=cast.field, visited_on=timezone.localdate(), found="seen")
    assert progress.status_follow(case=case, actor=cast.district).status == Status.LOST_CONTACT


def test_the_timeline_starts_with_registration_and_holds_money_and_visits(places, cast, bihar_templates):
    case = _restored_with_package(places, cast)
    registered_at = timezone.now()
    f.make_event(case, kind=CaseEvent.Kind.REGISTERED, at=registered_at, actor=cast.block)
    # A production recorded at registration happened before the registration was typed in.
    f.make_event(
        case,
        kind=CaseEvent.Kind.TRANSITION,
        at=registered_at - timedelta(days=25),
        actor=cast.block,
        from_status=Status.RESCUED,
        to_status=Status.PRODUCED,
    )
    first = case.package.components.order_by("pk").first()
    sanction(first, cast.district, amount="2500.00")
    visit = case.visits.order_by("sequence").first()
    services.visit_record(visit=visit, visited_on=timezone.localdate(), actor=cast.field, **SAFE)

    events = rescue_queries.timeline(case=case)
    kinds = [event.kind for event in events]
    assert kinds[0] == CaseEvent.Kind.REGISTERED
    assert CaseEvent.Kind.PACKAGE in kinds and CaseEvent.Kind.MONEY in kinds and CaseEvent.Kind.VISIT in kinds
    assert kinds.index(CaseEvent.Kind.MONEY) < kinds.index(CaseEvent.Kind.VISIT)
    money = next(event for event in events if event.kind == CaseEvent.Kind.MONEY)
    assert "₹2,500" in money.reason_text and first.name_en in money.reason_text


def test_system_texts_are_shown_in_the_readers_language(places, cast, bihar_templates):
    case = _restored_with_package(places, cast)
    # Written by an officer reading Hindi, read by one reading English, and the other way round.
    with translation.override("hi"):
        sanction(case.package.components.order_by("pk").first(), cast.district)
    move = case.events.filter(kind=CaseEvent.Kind.TRANSITION, to_status=Status.REHABILITATION).get()
    with translation.override("en"):
        assert move.reason_text.startswith("Rehabilitation has started")
    with translation.override("hi"):
        hindi = move.reason_text
    assert hindi != move.reason and any("\u0900" <= ch <= "\u097f" for ch in hindi)
