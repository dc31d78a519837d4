"""Figures the state reads (re-trafficking rate, rescued within and outside the state) and the list's reads."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.reports.services import case_summary_refresh
from rescue import queries
from rescue.models import Status
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_retrafficking_rate_is_the_share_of_restored_children_trafficked_again(cast, places):
    restored_at = timezone.now() - timedelta(days=100)
    for status in [Status.RESTORED, Status.FOLLOW_UP, Status.CLOSED, Status.RETRAFFICKED]:
        f.make_case(district=places.gaya, status=status, restored_at=restored_at)
    f.make_case(district=places.gaya, status=Status.IN_SHELTER)  # never restored: not in the rate
    f.make_case(district=places.patna, status=Status.RETRAFFICKED, restored_at=restored_at)
    assert queries.retrafficking_rate(user=cast.district) == {
        "restored": 4,
        "retrafficked": 1,
        "rate": Decimal("25.0"),
    }
    assert queries.retrafficking_rate(user=cast.state)["rate"] == Decimal("40.0")
    since = timezone.localdate() - timedelta(days=10)
    assert queries.retrafficking_rate(user=cast.state, since=since) == {"restored": 0, "retrafficked": 0, "rate": None}


def test_home_page_figures_use_them(login, cast, places):
    for _ in range(5):
        f.make_case(district=places.gaya, status=Status.RETRAFFICKED, restored_at=timezone.now())
    for _ in range(5):
        f.make_case(district=places.gaya, status=Status.CLOSED, restored_at=timezone.now())
    case_summary_refresh()
    figures = login(cast.district).get(reverse("portal:home")).context["figures"]
    assert figures["retrafficked"] == 5 and figures["retrafficking_rate"] == Decimal("50.0")
    assert figures["within_state"] == 10


def test_a_small_number_of_the_readers_own_retrafficked_children_is_shown_with_the_rate(login, cast, places):
    f.make_case(district=places.gaya, status=Status.RETRAFFICKED, restored_at=timezone.now())
    for _ in range(9):
        f.make_case(district=places.gaya, status=Status.CLOSED, restored_at=timezone.now())
    case_summary_refresh()
    figures = login(cast.district).get(reverse("portal:home")).context["figures"]
    # The district's own children: the reader may open each case, so nothing is hidden (clts.core.disclosure).
    assert figures["retrafficked"] == 1 and figures["retrafficking_rate"] == Decimal("10.0")


def test_a_typing_error_in_the_name_is_found_by_similarity(cast, places):
    case = f.make_case(district=places.gaya, child=f.make_child(name="Laxmi Kumari Test", home_district=places.gaya))
    page = queries.case_list(user=cast.district, filters=queries.CaseFilters(q="Laxmi Kumri Test"))
    assert [c.pk for c in page.cases] == [case.pk]
    # Found by the folded key, a similar spelling is added only when asked.
    other = f.make_case(district=places.gaya, child=f.make_child(name="Laxmi Kumri Test", home_district=places.gaya))
    page = queries.case_list(user=cast.district, filters=queries.CaseFilters(q="Laxmi Kumari Test"))
    assert [c.pk for c in page.cases] == [case.pk]
    page = queries.case_list(user=cast.district, filters=queries.CaseFilters(q="Laxmi Kumari Test", similar=True))
    assert {c.pk for c in page.cases} == {case.pk, other.pk}


def test_transfers_awaiting_are_those_to_the_officers_district(cast, places):
    to_gaya = f.make_transfer(f.make_case(district=places.patna, home_district=places.gaya))
    f.make_transfer(f.make_case(district=places.gaya, home_district=places.patna))
    assert list(queries.transfers_awaiting(user=cast.district)) == [to_gaya]
