"""The Django admin shows a staff member who is not a superuser only the rows visible_to them."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from clts.accounts.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

MODELS = ["case", "child", "rescueoperation", "caseevent", "transfer"]


@pytest.fixture
def staff(places):
    user = f.make_user(Role.DISTRICT, username="staff-gaya", district=places.gaya, is_staff=True)
    apps = ["rescue", "trackchild_sync"]
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=apps, codename__startswith="view_"))
    return user


def test_a_staff_district_officer_sees_only_the_districts_rows(client, staff, cast, places):
    mine = f.make_case(district=places.gaya)
    theirs = f.make_case(district=places.patna)
    for case in (mine, theirs):
        f.make_event(case, reason=f"Event of {case.case_number}")
        f.make_transfer(case, to_district=places.sherghati.district)
        f.make_cwc_order(case, cwc=cast.cwc_institution, kind="restoration")
    client.force_login(staff)
    for model in MODELS:
        response = client.get(reverse(f"admin:rescue_{model}_changelist"))
        assert response.status_code == 200, model
        assert response.context["cl"].result_count == 1, model
    response = client.get(reverse("admin:trackchild_sync_cwcorder_changelist"))
    assert response.context["cl"].result_count == 1
    assert client.get(reverse("admin:rescue_case_change", args=[theirs.pk])).status_code == 302  # not found


def test_a_superuser_sees_every_row(client, cast, places):
    f.make_case(district=places.gaya)
    f.make_case(district=places.patna)
    client.force_login(cast.admin)
    assert client.get(reverse("admin:rescue_case_changelist")).context["cl"].result_count == 2


def test_the_timeline_counters_transfers_and_link_requests_are_read_only_even_for_a_superuser(client, cast, places):
    case = f.make_case(district=places.gaya)
    event = f.make_event(case, reason="Test event")
    transfer = f.make_transfer(case, to_district=places.patna)
    from rescue.models import CaseNumberCounter

    counter = CaseNumberCounter.objects.create(district=places.gaya, year=2026, last=7)
    client.force_login(cast.admin)
    for model, pk in (("caseevent", event.pk), ("casenumbercounter", counter.pk), ("transfer", transfer.pk)):
        assert client.get(reverse(f"admin:rescue_{model}_add")).status_code == 403, model
        assert client.get(reverse(f"admin:rescue_{model}_delete", args=[pk])).status_code == 403, model
        page = client.get(reverse(f"admin:rescue_{model}_change", args=[pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text, model
    response = client.post(reverse("admin:rescue_casenumbercounter_change", args=[counter.pk]), {"last": 0})
    assert response.status_code == 403 and CaseNumberCounter.objects.get().last == 7
    # The case's workflow is shown, not editable: status, number, districts, links.
    page = client.get(reverse("admin:rescue_case_change", args=[case.pk])).text
    assert 'name="status"' not in page and 'name="case_number"' not in page and 'name="district"' not in page
    assert 'name="wage_per_month"' in page


def test_a_staff_officer_changes_only_rows_they_may_write(client, places, cast):
    from guardian.shortcuts import assign_perm

    staff = f.make_user(Role.DISTRICT, username="staff-patna", district=places.patna, is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="rescue"))
    gaya = f.make_case(district=places.gaya)
    patna = f.make_case(district=places.patna)
    assign_perm("view_case", staff, gaya)  # shared for reading
    client.force_login(staff)
    own = client.get(reverse("admin:rescue_child_change", args=[patna.child_id]))
    assert own.status_code == 200 and 'name="_save"' in own.text
    shared = client.get(reverse("admin:rescue_child_change", args=[gaya.child_id]))
    assert shared.status_code == 200 and 'name="_save"' not in shared.text  # seen, not changeable
    response = client.post(reverse("admin:rescue_child_change", args=[gaya.child_id]), {"name": "Test Taken"})
    assert response.status_code == 403
    assert not type(gaya.child).objects.filter(name="Test Taken").exists()
