"""The dashboards: every figure equals a direct count of the cases, scoped and protected by the disclosure rule."""

import itertools
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clts.core.disclosure import SECONDARY_MARK, SMALL_MARK
from clts.reports.models import CaseFacts
from clts.reports.services import facts_refresh
from rescue.choices import Interstate, Status
from rescue.models import Case
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _cases(places):
    """Gaya: 12 cases of every kind; Patna: 3 (small); one Gaya child rescued in Rajasthan."""
    f.make_home_state()
    now = timezone.now()
    for status in [Status.RESCUED] * 3 + [Status.IN_SHELTER] * 2 + [Status.REHABILITATION] * 3:
        f.make_case(district=places.gaya, status=status)
    for _ in range(2):
        f.make_case(district=places.gaya, status=Status.CLOSED, restored_at=now)
    f.make_case(district=places.gaya, status=Status.RETRAFFICKED, restored_at=now)
    f.make_case(district=places.gaya, status=Status.RESCUED, child=f.make_child(home_district=places.gaya, sex="f"))
    rajasthan_rescue = f.make_rescue(district=places.gaya, state=places.rajasthan, city="Jaipur")
    rajasthan_rescue.district = None
    rajasthan_rescue.save()
    f.make_case(
        district=None,
        home_district=places.gaya,
        rescue=rajasthan_rescue,
        interstate=Interstate.INBOUND,
        child=f.make_child(home_district=places.gaya),
    )
    for _ in range(3):
        f.make_case(district=places.patna)
    facts_refresh()


def _headline(response) -> dict:
    return {figure["label"]: figure["value"] for figure in response.context["headline"]}


def test_headline_figures_equal_direct_counts(client, cast, places):
    _cases(places)
    client.force_login(cast.state)
    headline = _headline(client.get(reverse("reports:dashboard")))
    cases = Case.objects.all()
    assert headline["Registered"] == cases.count() == 16
    assert headline["Rescued outside the state"] == cases.filter(interstate=Interstate.INBOUND).count() == 1
    assert headline["Rescued within the state"] == cases.exclude(interstate=Interstate.INBOUND).count()
    assert headline["In CCIs"] == cases.filter(status=Status.IN_SHELTER).count()
    assert headline["Restored to family"] == cases.filter(restored_at__isnull=False).count() == 3
    assert headline["Under rehabilitation"] == cases.filter(status=Status.REHABILITATION).count()
    assert headline["Closed"] == cases.filter(status=Status.CLOSED).count()
    assert headline["Re-trafficked"] == cases.filter(status=Status.RETRAFFICKED).count()


def test_the_state_sees_every_count_and_the_rate(client, cast, places):
    _cases(places)
    client.force_login(cast.state)
    response = client.get(reverse("reports:dashboard"))
    patna = next(row for row in response.context["districts"] if row["label"] == "Patna")
    assert patna["cells"]["registered"] == 3
    assert response.context["rate"] == pytest.approx(33.3)  # 1 of 3 restored children re-trafficked


def test_a_district_officer_sees_other_districts_small_counts_hidden(client, cast, places):
    _cases(places)
    client.force_login(cast.district)  # Gaya
    response = client.get(reverse("reports:dashboard"))
    rows = {row["label"]: row["cells"] for row in response.context["districts"]}
    assert rows["Gaya"]["registered"] == 13  # its own: never hidden
    assert rows["Patna"]["registered"] == SMALL_MARK
    # The state total minus Gaya's would give Patna's 3: the total is hidden too.
    assert _headline(response)["Registered"] in (SMALL_MARK, SECONDARY_MARK)
    assert all(value in (0, SMALL_MARK, SECONDARY_MARK) for value in rows["Patna"].values())


def test_filters_count_what_they_say(client, cast, places):
    _cases(places)
    client.force_login(cast.state)
    response = client.get(reverse("reports:dashboard"), {"sex": "f"})
    assert _headline(response)["Registered"] == Case.objects.filter(child__sex="f").count() == 1
    response = client.get(reverse("reports:dashboard"), {"district": places.patna.pk})
    assert _headline(response)["Registered"] == 3
    old = (timezone.localdate() - timedelta(days=800)).strftime("%Y-%m")
    response = client.get(reverse("reports:dashboard"), {"month_from": old, "month_to": old})
    assert _headline(response)["Registered"] == 0


def test_the_district_dashboard_is_by_block_officer_and_cci(client, cast, places):
    f.make_home_state()
    for _ in range(6):
        f.make_case(district=places.gaya, block=places.bodh_gaya)
    for _ in range(2):
        f.make_case(district=places.gaya, block=places.sherghati)
    facts_refresh()
    url = reverse("reports:district", kwargs={"district_id": places.gaya.pk})
    client.force_login(cast.district)
    units = {t["unit"]: t for t in client.get(url).context["units"]}
    blocks = {row["label"]: row["cells"]["registered"] for row in units["block"]["rows"]}
    assert blocks == {"Bodh Gaya": 6, "Sherghati": 2}
    # Bodh Gaya's block officer: Sherghati's 2 are another block's small count, and 8 - 6 would give it away.
    client.force_login(cast.block)
    response = client.get(url)
    units = {t["unit"]: t for t in response.context["units"]}
    blocks = {row["label"]: row["cells"]["registered"] for row in units["block"]["rows"]}
    assert blocks == {"Bodh Gaya": 6, "Sherghati": SMALL_MARK}
    assert _headline(response)["Registered"] in (SMALL_MARK, SECONDARY_MARK)


def _numbers(values) -> list:
    return [v for v in values if isinstance(v, int)]


def test_no_hidden_count_on_the_page_can_be_worked_out(client, cast, places):
    """An attacker with the rendered tables: each column's total minus its shown parts, each row's registered
    minus within and outside; and every combination of columns of the district table with the headline."""
    _cases(places)
    for _ in range(9):
        f.make_case(district=places.patna, status=Status.CLOSED, restored_at=timezone.now())
    facts_refresh()
    client.force_login(cast.outsider)  # Patna's officer: Gaya's small counts are hidden from them
    response = client.get(reverse("reports:dashboard"))
    headline = _headline(response)
    rows = response.context["districts"]
    columns = {"registered": "Registered", "within": "Rescued within the state", "outside": "Rescued outside the state"}
    hidden_seen = 0
    for code, title in columns.items():
        parts = [row["cells"][code] for row in rows]
        hidden = [p for p in parts if isinstance(p, str)]
        hidden_seen += len(hidden)
        if isinstance(headline[title], int):
            assert len(hidden) != 1, f"{code}: total minus the other districts gives the hidden one"
    for row in rows:
        members = [row["cells"][c] for c in columns]
        assert sum(isinstance(m, str) for m in members) != 1, row
    # Month by month: the months add up to the headline.
    for code, title in columns.items():
        parts = [row["cells"][code] for row in response.context["trend"]]
        if isinstance(headline[title], int):
            assert sum(isinstance(p, str) for p in parts) != 1
    # Every combination of rows with the headline's total (registered = within + outside for each).
    cells = [(row["cells"]["registered"], row["cells"]["within"], row["cells"]["outside"]) for row in rows]
    for size in range(1, len(cells) + 1):
        for combo in itertools.combinations(cells, size):
            unknown = [v for triple in combo for v in triple if isinstance(v, str)]
            assert len(unknown) != 1
    assert hidden_seen > 0  # the page did hide something for this reader


def test_the_page_shows_when_the_figures_were_refreshed(client, cast, places):
    _cases(places)
    client.force_login(cast.state)
    response = client.get(reverse("reports:dashboard"))
    assert response.context["as_of"] is not None
    assert b"Figures as of" in response.content


def test_a_refresh_is_idempotent_and_figures_follow_it(client, cast, places):
    _cases(places)
    first = facts_refresh()
    assert facts_refresh() == first
    f.make_case(district=places.patna)
    client.force_login(cast.state)
    assert _headline(client.get(reverse("reports:dashboard")))["Registered"] == 16  # until the next refresh
    facts_refresh()
    assert _headline(client.get(reverse("reports:dashboard")))["Registered"] == 17


def test_roles_without_a_dashboard_are_refused(client, cast):
    client.force_login(cast.cci)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_a_dashboard_reads_its_figures_in_one_statement(client, cast, places):
    """A page reads the summary tables twice: the districts with the time of the last refresh, then every figure
    and name in one statement (each round trip to the database is paid again on a loaded server)."""
    _cases(places)
    client.force_login(cast.district)
    gaya = places.gaya.pk
    for url, query in [
        (reverse("reports:dashboard"), {}),
        (reverse("reports:dashboard"), {"district": gaya}),
        (reverse("reports:dashboard"), {"sex": "f"}),
        (reverse("reports:district", kwargs={"district_id": gaya}), {}),
    ]:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, query)
        assert response.status_code == 200
        reads = [q["sql"][:60] for q in captured.captured_queries if "reports_" in q["sql"]]
        assert len(reads) == 2, reads


@pytest.mark.django_db(transaction=True)
def test_a_refresh_outside_a_transaction_commits_then_vacuums(places):
    """As the Celery task runs it: the rebuild commits, then the tables are vacuumed (VACUUM refuses to run inside
    a transaction, so this path is only taken outside one); the figures are those of the cases."""
    f.make_home_state()
    for _ in range(3):
        f.make_case(district=places.gaya)
    f.make_case(district=places.patna, status=Status.CLOSED)
    written = facts_refresh()
    assert written["facts"] > 0
    rolled_up = CaseFacts.objects.filter(detail=False)
    assert sum(rolled_up.values_list("cases", flat=True)) == Case.objects.count() == 4
    assert sum(rolled_up.values_list(f"st_{Status.CLOSED}", flat=True)) == 1


def test_data_entry_compliance_is_the_alerts_figures_read_with_the_page(client, cast, places):
    """The compliance table sums the alerts' monthly figures of every rule (within the reader's jurisdiction), by
    district on the state's page and by block on a district's, read in the page's one statement of figures."""
    from clts.alerts import queries as alert_queries
    from clts.alerts import services as alert_services
    from clts.alerts.models import ComplianceMonth, DeadlineRule

    _cases(places)
    alert_services.rules_seed()
    first, second = DeadlineRule.objects.order_by("code")[:2]
    month = timezone.localdate().replace(day=1)
    now = timezone.now()
    rows = [
        (first, places.gaya, places.bodh_gaya, 9, 6, 2, 1),
        (second, places.gaya, places.bodh_gaya, 4, 4, 0, 0),
        (first, places.gaya, places.sherghati, 7, 5, 1, 1),
        (first, places.patna, None, 8, 8, 0, 0),
    ]
    for rule, district, block, due, on_time, late, overdue in rows:
        ComplianceMonth.objects.create(
            rule=rule, month=month, district=district, block=block, due=due, on_time=on_time, late=late,
            overdue=overdue, refreshed_at=now,
        )  # fmt: skip
    client.force_login(cast.state)
    state_page = client.get(reverse("reports:dashboard")).context["compliance"]
    expected = {}
    for row in alert_queries.compliance_figures(user=cast.state, month_from=month, month_to=month):
        sums = expected.setdefault(row["label"], [0, 0, 0, 0])
        for i, name in enumerate(("due", "on_time", "late", "overdue")):
            sums[i] += row[name]
    assert {r["label"]: [r["due"], r["on_time"], r["late"], r["overdue"]] for r in state_page} == expected
    assert expected[str(places.gaya)] == [20, 15, 3, 2]

    client.force_login(cast.district)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("reports:district", kwargs={"district_id": places.gaya.pk}))
    by_block = {r["label"]: [r["due"], r["on_time"], r["late"], r["overdue"]] for r in response.context["compliance"]}
    assert by_block == {str(places.bodh_gaya): [13, 10, 2, 1], str(places.sherghati): [7, 5, 1, 1]}
    reads = [q["sql"] for q in captured.captured_queries if "alerts_compliancemonth" in q["sql"]]
    assert len(reads) == 1 and "reports_casefacts" in reads[0]
