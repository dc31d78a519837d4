"""Issue 11.1: the field worker's visit list (own visits, who and where, grouped) and the case page of their visits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rehabilitation import queries
from tests import factories as f
from tests.rehabilitation.conftest import restored_case

pytestmark = pytest.mark.django_db


def _schedule(case, cast, *, first_due):
    """Five visits a quarter apart from `first_due`, assigned to the cast's field worker."""
    return [
        f.make_visit(case, assigned_to=cast.field, due_on=first_due + timedelta(days=90 * n), sequence=n + 1)
        for n in range(5)
    ]


def test_the_list_holds_own_visits_due_this_week_or_overdue_and_only_the_next_one_of_each_case(places, cast):
    today = timezone.localdate()
    overdue_case = restored_case(places, cast, child_fields={"name": "Test Overdue Child"})
    later_case = restored_case(places, cast, child_fields={"name": "Test Later Child"})
    other_case = restored_case(places, cast, child_fields={"name": "Test Not Mine Child"})
    overdue = _schedule(overdue_case, cast, first_due=today - timedelta(days=3))
    later = _schedule(later_case, cast, first_due=today + timedelta(days=20))
    f.make_visit(other_case, assigned_to=cast.field_other, due_on=today)

    visits, _next = queries.visit_list(user=cast.field)
    assert [v.pk for v in visits] == [overdue[0].pk, later[0].pk]
    groups = {key: [v.pk for v in rows] for key, _heading, rows in queries.visits_grouped(visits, today)}
    assert groups == {"overdue": [overdue[0].pk], "later": [later[0].pk]}


def test_a_visit_due_in_three_days_is_this_week(places, cast):
    today = timezone.localdate()
    case = restored_case(places, cast)
    visit = f.make_visit(case, assigned_to=cast.field, due_on=today + timedelta(days=3))
    assert queries.visit_group_of(visit, today) == "week"


def test_the_list_shows_who_and_where(client, places, cast):
    case = restored_case(
        places,
        cast,
        child_fields={
            "name": "Test Sonu Visit",
            "guardian_name": "Test Guardian Ram",
            "guardian_relation": "uncle",
            "home_village_text": "Test Village Bakraur",
            "home_address": "Test house near the well",
        },
    )
    f.make_visit(case, assigned_to=cast.field, due_on=timezone.localdate())
    client.force_login(cast.field)
    body = client.get(reverse("rehabilitation:visit-list")).content.decode()
    for text in (
        "Test Sonu Visit",
        "Test Guardian Ram",
        "Test Village Bakraur",
        "Test house near the well",
        "This week",
    ):
        assert text in body


def test_the_field_worker_opens_the_case_of_an_assigned_visit_and_no_other(client, places, cast):
    mine = restored_case(places, cast)
    f.make_visit(mine, assigned_to=cast.field)
    not_mine = restored_case(places, cast)
    f.make_visit(not_mine, assigned_to=cast.field_other)
    client.force_login(cast.field)
    assert client.get(reverse("rescue:case-detail", args=[mine.case_number])).status_code == 200
    assert client.get(reverse("rescue:case-detail", args=[not_mine.case_number])).status_code == 404
    # The rescue operation (employer, FIR, the other children) stays with the officers.
    assert client.get(reverse("rescue:rescue-detail", args=[mine.rescue_id])).status_code == 403
