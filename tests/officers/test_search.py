"""Issue 11.10: the case list's search finds what officers type: a case number's tail, names with typing errors."""

import pytest
from django.urls import reverse

from rescue import queries
from tests import factories as f

pytestmark = pytest.mark.django_db


def _found(user, q: str) -> list[str]:
    page = queries.case_list(user=user, filters=queries.CaseFilters(q=q))
    return [case.child.name for case in page.cases]


@pytest.fixture
def gaya_children(places, cast):
    names = ("Sonu Manjhi", "Sita Kumari", "Sonu Kumar", "Sita Devi", "Mohan Paswan")
    return {
        name: f.make_case(district=places.gaya, home_district=places.gaya, child=f.make_child(name=name))
        for name in names
    }


def test_a_case_number_tail_finds_the_case(cast, gaya_children):
    case = gaya_children["Sita Kumari"]
    tail = case.case_number.rsplit("-", 1)[1]
    assert _found(cast.district, tail) == ["Sita Kumari"]
    assert _found(cast.district, tail.lstrip("0")) == ["Sita Kumari"]
    year_and_tail = "-".join(case.case_number.rsplit("-", 2)[1:])
    assert _found(cast.district, year_and_tail) == ["Sita Kumari"]


@pytest.mark.parametrize(("typed", "meant"), [("Sunu Manjhi", "Sonu Manjhi"), ("Sita Kumri", "Sita Kumari")])
def test_a_name_with_a_typing_error_finds_the_child_first(cast, gaya_children, typed, meant):
    found = _found(cast.district, typed)
    assert found and found[0] == meant


def test_a_typing_error_finds_nobody_outside_the_officers_scope(places, cast):
    f.make_case(district=places.patna, home_district=places.patna, child=f.make_child(name="Sonu Manjhi"))
    assert _found(cast.district, "Sunu Manjhi") == []
    assert _found(cast.district, "Sonu Manjhi") == []


def test_the_search_is_a_post_and_shows_the_child(client, cast, gaya_children):
    client.force_login(cast.district)
    body = client.post(reverse("rescue:case-list"), {"q": "Sunu Manjhi"}).content.decode()
    assert "Sonu Manjhi" in body
