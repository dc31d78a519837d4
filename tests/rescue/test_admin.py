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
