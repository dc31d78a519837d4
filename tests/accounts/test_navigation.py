"""The menu bar: each role's entries, grouped into menus; a menu of one entry is that entry's link."""

import pytest
from django.test import RequestFactory

from clts.accounts.context_processors import navigation

pytestmark = pytest.mark.django_db


def _bar(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return navigation(request)["nav_menu"]


def test_a_menu_of_several_entries_is_a_dropdown_and_of_one_a_link(cast):
    bar = {entry["label"]: entry for entry in _bar(cast.district)}
    assert [item["label"] for item in bar["Cases"]["entries"]] == ["Cases", "Register rescue", "Link requests"]
    # The district officer may open one rehabilitation page: the menu is that page's link.
    assert "entries" not in bar["Packages"] and bar["Packages"]["url_name"] == "rehabilitation:package-list"


def test_the_menu_holding_the_page_is_the_active_one(cast):
    bar = {entry["label"]: entry for entry in _bar(cast.district, path="/cases/link-requests/")}
    assert bar["Cases"]["active"]
    assert [item["label"] for item in bar["Cases"]["entries"] if item["active"]] == ["Link requests"]
    assert not bar["Reports"]["active"]


def test_every_role_sees_only_what_it_may_open(cast):
    labels = {entry["label"] for entry in _bar(cast.field)}
    assert "My visits" in labels and "Cases" not in labels and "Import registers" not in labels
