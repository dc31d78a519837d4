"""My work, acknowledging an item, the navigation count, the compliance and overdue pages."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clts.alerts import queries, services
from clts.alerts.models import Alert, Level
from rescue import services as rescue
from rescue.models import Status
from tests import factories as f
from tests.alerts.conftest import missed_production, set_time

pytestmark = pytest.mark.django_db


def test_sign_in_leads_to_my_work(client, cast):
    response = client.post(
        reverse("accounts:login"), {"username": cast.district.username, "password": f.PASSWORD}, follow=False
    )
    assert response.status_code == 302 and response["Location"] == reverse("alerts:my-work")


def test_my_work_lists_what_is_due_most_urgent_first_with_a_link_to_the_form(rules, cast, places, login):
    older = missed_production(places, cast, hours_ago=80)
    newer = missed_production(places, cast, hours_ago=30)
    patna = missed_production(places, cast, hours_ago=40, district=places.patna, block=places.phulwari, cwc=None)
    services.scan_run()
    response = login(cast.district).get(reverse("alerts:my-work"))
    items = response.context["items"]
    assert [item.case_number for item in items] == [older.case_number, newer.case_number]
    assert items[0].overdue and items[0].days == 2
    assert items[0].link == reverse("rescue:case-detail", args=[older.case_number])
    html = response.content.decode()
    assert older.case_number in html and patna.case_number not in html
    assert older.child.name not in html
    # The navigation says how many.
    assert '<span class="badge rounded-pill text-bg-light" id="work-count"' in html
    assert response.context["work_count"]() == 2

    # The CWC member is sent to the form that records the production.
    cwc_items = login(cast.cwc).get(reverse("alerts:my-work")).context["items"]
    assert cwc_items[0].link == reverse("trackchild:cwc-order-create", args=[older.case_number])
    # Patna's officer sees Patna's case only.
    assert [i.case_number for i in login(cast.outsider).get(reverse("alerts:my-work")).context["items"]] == [
        patna.case_number
    ]


def test_work_done_since_the_scan_leaves_the_list_at_once(rules, cast, places, login):
    case = missed_production(places, cast)
    services.scan_run()
    rescue.case_transition(case=case, to=Status.PRODUCED, actor=cast.cwc, reason="Produced", late_reason="Journey")
    items = login(cast.district).get(reverse("alerts:my-work")).context["items"]
    assert items == []
    # The alert itself is resolved by the next scan.
    assert Alert.objects.get(object_id=case.pk).status == "open"
    services.scan_run()
    assert Alert.objects.get(object_id=case.pk).status == "resolved"


def test_an_item_is_acknowledged_with_a_note_and_stays_until_done(rules, cast, places, login):
    missed_production(places, cast)
    services.scan_run()
    alert = Alert.objects.get()
    client = login(cast.district)
    url = reverse("alerts:alert-acknowledge", args=[alert.pk])
    refused = client.post(url, {"note": "  "}, follow=True)
    alert.refresh_from_db()
    assert alert.acknowledged_at is None
    assert "This field is required." in refused.content.decode() or "Say what" in refused.content.decode()
    client.post(url, {"note": "Test: the CWC sits tomorrow morning."})
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.district and alert.acknowledgement_note.startswith("Test: the CWC")
    page = client.get(reverse("alerts:my-work"))
    assert "Test: the CWC sits tomorrow morning." in page.content.decode()
    # Someone whose list it is not on gets 404, and nothing changes.
    assert login(cast.outsider).post(url, {"note": "Test"}).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.district


def test_my_work_pages_by_keyset_with_bounded_queries(rules, cast, places, login, django_assert_max_num_queries):
    for n in range(queries.PAGE + 5):
        missed_production(places, cast, hours_ago=30 + n)
    services.scan_run()
    client = login(cast.district)
    # The page, the session and user, shared cases, the count in the navigation, the last scan, one live check.
    with django_assert_max_num_queries(14):
        first = client.get(reverse("alerts:my-work"))
    assert len(first.context["items"]) == queries.PAGE and first.context["next_after"]
    with django_assert_max_num_queries(14):
        second = client.get(reverse("alerts:my-work"), {"after": first.context["next_after"]})
    seen = [i.pk for i in first.context["items"]] + [i.pk for i in second.context["items"]]
    assert len(seen) == queries.PAGE + 5 == len(set(seen))
    assert [i.due_at for i in first.context["items"]] == sorted(i.due_at for i in first.context["items"])


def _page_queries(client) -> tuple[list[str], list]:
    """The statements a page of My work ran (their openings, enough to tell them apart) and its items."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("alerts:my-work"))
    assert response.status_code == 200
    return [query["sql"][:40] for query in captured.captured_queries], response.context["items"]


def test_a_page_of_my_work_costs_the_same_queries_whatever_the_number_of_alerts_and_rules(rules, cast, places, login):
    """A page of 25 reads a fixed number of statements: the page (one, with the rule, case number and who
    acknowledged), one live re-check for every rule on it, the session and user; the count is the cached one."""
    for n in range(queries.PAGE + 5):
        missed_production(places, cast, hours_ago=30 + n)
    services.scan_run()
    client = login(cast.district)
    small_first, _ = _page_queries(client)
    small, items = _page_queries(client)
    assert len(items) == queries.PAGE and {item.rule.code for item in items} == {"cwc-production"}
    # The scan cached the district officers' counts: even the first page after it counts nothing.
    assert len(small_first) == len(small), (small_first, small)

    # Many more alerts, of three rules mixed on the page, some acknowledged by two different people.
    set_time(rules["transfer-acknowledgement"], 2)
    long_ago = timezone.now() - timedelta(days=40)
    for n in range(12):
        moved = f.make_case_at(Status.IN_SHELTER, cast, places, district=places.patna, home_district=places.gaya)
        f.make_transfer(moved, initiated_at=long_ago - timedelta(hours=n))
    restored = f.make_case_at(Status.REHABILITATION, cast, places)
    f.make_package(restored, components=[{"due_on": timezone.localdate() - timedelta(days=30 + n)} for n in range(12)])
    for n in range(3 * queries.PAGE):
        missed_production(places, cast, hours_ago=100 + n)
    services.scan_run()
    mixed = Alert.objects.filter(district=places.gaya).order_by("due_at")
    for who, alert in zip([cast.district, cast.state] * 4, mixed[:8], strict=True):
        Alert.objects.filter(pk=alert.pk).update(
            acknowledged_at=timezone.now(), acknowledged_by=who, acknowledgement_note="Test: in hand"
        )
    assert Alert.objects.filter(status="open", district=places.gaya).count() > 4 * queries.PAGE
    large_first, _ = _page_queries(client)
    large, items = _page_queries(client)
    assert len(items) == queries.PAGE
    assert {item.rule.code for item in items} == {"transfer-acknowledgement", "component-due", "cwc-production"}
    assert sum(1 for item in items if item.acknowledged_by) == 8
    assert (len(large_first), len(large)) == (len(small_first), len(small)), (small, large)


def test_an_acknowledgement_keeps_the_cached_count(rules, cast, places, login):
    """Noting what is being done changes no one's list: the count cached by the scan stays right and is still used."""
    missed_production(places, cast, hours_ago=30)
    missed_production(places, cast, hours_ago=40)
    services.scan_run()
    client = login(cast.district)
    before, _ = _page_queries(client)
    alert = Alert.objects.filter(district=places.gaya).first()
    client.post(reverse("alerts:alert-acknowledge", args=[alert.pk]), {"note": "Test: the CWC sits tomorrow."})
    after, items = _page_queries(client)
    assert len(after) == len(before) and len(items) == 2
    assert client.get(reverse("alerts:my-work")).context["work_count"]() == 2


# Mid-month, so that the rescues of 50-60 hours ago and their due times fall in one month (near midnight on the
# 1st the overdue one's due time was in the new month and the month asked for the old one).
@time_machine.travel(datetime(2026, 11, 15, 12, 0, tzinfo=ZoneInfo("Asia/Kolkata")), tick=True)
def test_compliance_figures_count_on_time_late_and_overdue(rules, cast, places, login):
    now = timezone.now()
    for hours in (3, 5):  # produced in time
        case = missed_production(places, cast, hours_ago=60)
        type(case).objects.filter(pk=case.pk).update(
            status=Status.PRODUCED, produced_at=case.rescue.rescued_at + timedelta(hours=hours)
        )
    late = missed_production(places, cast, hours_ago=60, block=places.sherghati)
    type(late).objects.filter(pk=late.pk).update(
        status=Status.PRODUCED,
        produced_at=late.rescue.rescued_at + timedelta(hours=30),
        production_late=True,
        late_reason="Journey",
    )
    missed_production(places, cast, hours_ago=50)  # still not produced: overdue
    missed_production(places, cast, hours_ago=50, district=places.patna, block=places.phulwari, cwc=None)
    services.compliance_refresh()
    month = timezone.localdate(now - timedelta(hours=30)).replace(day=1)
    figures = queries.compliance_figures(
        user=cast.district, month_from=month, month_to=month, by="block", rules=["cwc-production"]
    )
    by_block = {row["label"]: row for row in figures}
    assert (by_block["Bodh Gaya"]["due"], by_block["Bodh Gaya"]["on_time"], by_block["Bodh Gaya"]["overdue"]) == (
        3,
        2,
        1,
    )
    assert (by_block["Sherghati"]["late"], by_block["Sherghati"]["rate"]) == (1, 0.0)
    assert "Phulwari" not in by_block  # Patna's block: not the Gaya officer's
    state = queries.compliance_figures(user=cast.state, month_from=month, month_to=month, rules=["cwc-production"])
    assert {row["label"]: row["due"] for row in state} == {"Gaya": 4, "Patna": 1}
    assert {row["label"] for row in state if row["rate"] == 50.0} == {"Gaya"}

    response = login(cast.district).get(reverse("alerts:compliance"))
    html = response.content.decode()
    assert 'id="compliance-table"' in html and "Bodh Gaya" in html and "Phulwari" not in html
    assert response.context["trend"][-1]["due"] == 4
    assert 'id="trend-data"' in html and "compliance_chart.js" in html
    state_page = login(cast.state).get(reverse("alerts:compliance"), {"by": "district"})
    assert "Patna" in state_page.content.decode()


def test_the_overdue_list_is_oldest_first_within_the_jurisdiction(rules, cast, places, login):
    older = missed_production(places, cast, hours_ago=100)
    newer = missed_production(places, cast, hours_ago=40)
    patna = missed_production(places, cast, hours_ago=200, district=places.patna, block=places.phulwari, cwc=None)
    services.scan_run()
    rows = login(cast.district).get(reverse("alerts:overdue-list")).context["rows"]
    assert [row.object_id for row in rows] == [older.pk, newer.pk]
    state_rows = login(cast.state).get(reverse("alerts:overdue-list")).context["rows"]
    assert [row.object_id for row in state_rows] == [patna.pk, older.pk, newer.pk]
    assert state_rows[0].days_overdue == 7 and state_rows[0].level == Level.DISTRICT + 1


def test_compliance_and_overdue_pages_have_bounded_queries(rules, cast, places, login, django_assert_max_num_queries):
    for n in range(60):
        missed_production(places, cast, hours_ago=30 + n, block=places.sherghati if n % 2 else places.bodh_gaya)
    services.scan_run()
    services.compliance_refresh()
    client = login(cast.district)
    # Session and user, shared cases, the navigation count, then the page's own few queries.
    with django_assert_max_num_queries(12):
        overdue = client.get(reverse("alerts:overdue-list"))
    assert len(overdue.context["rows"]) == 50 and overdue.context["next_after"]
    with django_assert_max_num_queries(12):
        rest = client.get(reverse("alerts:overdue-list"), {"after": overdue.context["next_after"]})
    assert len(rest.context["rows"]) == 10
    for by in ("block", "officer", "institution"):
        with django_assert_max_num_queries(12):
            page = client.get(reverse("alerts:compliance"), {"by": by})
        assert page.status_code == 200 and page.context["table"]["rows"]
