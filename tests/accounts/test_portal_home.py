"""The home page: role-aware navigation and aggregate figures of the reader's own jurisdiction."""

import pytest
from django.urls import reverse

from clts.reports.models import CaseSummary
from clts.reports.services import case_summary_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_figures_are_aggregates_of_the_users_jurisdiction(client, cast, places):
    for _ in range(6):
        f.make_case(district=places.gaya)
    for _ in range(2):
        f.make_case(district=places.patna)
    case_summary_refresh()

    client.force_login(cast.district)
    figures = client.get(reverse("portal:home")).context["figures"]
    assert figures["total"] == 6

    # Patna's officer counts Patna's two cases: small, but the officer's own (clts.core.disclosure hides small
    # counts only outside the reader's jurisdiction), and Gaya's six are not in the figure.
    client.force_login(cast.outsider)
    figures = client.get(reverse("portal:home")).context["figures"]
    assert figures["total"] == 2
    assert figures["retrafficked"] == 0


def test_navigation_follows_the_role(client, cast):
    client.force_login(cast.admin)
    admin_nav = [item["label"] for item in client.get(reverse("portal:home")).context["nav_items"]]
    client.force_login(cast.state)
    state_nav = [item["label"] for item in client.get(reverse("portal:home")).context["nav_items"]]
    assert "Audit trail" in admin_nav and "Audit trail" not in state_nav


def test_roles_without_dashboards_see_no_figures(client, cast):
    client.force_login(cast.cci)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200 and response.context["figures"] is None


def test_figures_come_from_the_summary_until_it_is_refreshed(client, cast, places):
    f.make_case(district=places.gaya)
    client.force_login(cast.district)
    assert client.get(reverse("portal:home")).context["figures"]["total"] == 0
    case_summary_refresh()
    figures = client.get(reverse("portal:home")).context["figures"]
    assert figures["total"] == 1 and figures["as_of"] is not None
    # A second refresh gives the same table (the Celery task may run twice).
    before = list(CaseSummary.objects.values_list("district", "status", "cases"))
    case_summary_refresh()
    assert list(CaseSummary.objects.values_list("district", "status", "cases")) == before
