"""Benchmark: the rescue pages at 1,000,000 cases across Bihar's 38 districts (see tests/bench/dataset.py).

Run (the data set is made once and kept with --reuse-db):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench .venv/bin/python -m pytest \
      tests/bench/bench_rescue.py -p no:cacheprovider -s -m bench -o python_files='bench_*.py' --reuse-db

Each page is fetched through the Django test client as a signed-in district officer of Gaya (the whole request:
middleware, session, access filter, queries, template), and compared with a bare primary-key fetch of a case
measured in the same run. Goal: every page p95 under 150 ms.
"""

import random
import statistics

import pytest
from django.db import connection
from django.urls import reverse

from clts.accounts.roles import Role
from clts.geo.models import District
from rescue import queries
from rescue.models import Case, CaseEvent, Child
from tests import factories as f
from tests.bench.dataset import bench_cases  # noqa: F401 (the session fixture)
from tests.bench.timing import p95, sample_ms

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 40
GOAL_MS = 150


def test_rescue_pages_at_a_million_cases(bench_cases, client):  # noqa: F811
    gaya = District.objects.get(state__lgd_code=10, short_code="GAY")
    officer = f.make_user(Role.DISTRICT, username="bench-gaya-officer", district=gaya)
    client.force_login(officer)
    visible = Case.objects.visible_to(officer)

    # The 200th page: the cursor after 199 pages of 50, found once (not timed) with OFFSET.
    row = visible.order_by("-rescued_on", "-id").values_list("rescued_on", "id")[199 * queries.PAGE_SIZE - 1]
    cursor_200 = f"{row[0].isoformat()}_{row[1]}"
    sample_case = visible.filter(status="follow_up").order_by("-id").values_list("case_number", flat=True)[7]
    name = Child.objects.filter(cases__district=gaya).order_by("id").values_list("name", flat=True)[123]
    case_ids = list(Case.objects.order_by("?").values_list("id", flat=True)[:200])

    list_url = reverse("rescue:case-list")
    page_url = reverse("rescue:case-detail", args=[sample_case])

    def get(url, params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200
        return response

    first = get(list_url)
    assert len(first.context["page"].cases) == queries.PAGE_SIZE
    page_200 = get(list_url, {"after": cursor_200})
    assert page_200.context["page"].cases[0].rescued_on <= row[0]
    found = get(list_url, {"q": name}).context["page"].cases
    assert found, "the name search finds the child"
    # A typing error (one letter dropped from the surname) leaves the key path empty: pg_trgm finds it.
    typo = name[:-2] + name[-1]
    assert get(list_url, {"q": typo}).context["page"].cases, "the search with a typing error finds the child"

    timings = {
        "bare primary-key fetch": sample_ms(lambda _: Case.objects.get(pk=random.choice(case_ids)), runs=200),
        "case list, first page": sample_ms(lambda _: get(list_url), runs=RUNS),
        "case list, 200th page": sample_ms(lambda _: get(list_url, {"after": cursor_200}), runs=RUNS),
        "name search": sample_ms(lambda _: get(list_url, {"q": name}), runs=RUNS),
        "name search with a typo": sample_ms(lambda _: get(list_url, {"q": typo}), runs=RUNS),
        "case page": sample_ms(lambda _: get(page_url), runs=RUNS),
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rescue_caseevent")
        events = cursor.fetchone()[0]
    print(
        f"\nsizes: {Case.objects.count():,} cases, {Child.objects.count():,} children, {events:,} timeline events;"
        f" Gaya's officer sees {visible.count():,} cases; search for a name of {len(name)} characters "
        f"({len(found)} results); {CaseEvent.objects.filter(case__case_number=sample_case).count()} events on the "
        f"case page"
    )
    base = timings["bare primary-key fetch"]
    base_p50, base_p95 = statistics.median(base), p95(base)
    print(f"{'':28}{'p50 ms':>9}{'p95 ms':>9}{'p50 ratio':>11}{'p95 ratio':>11}")
    misses = []
    for label, samples in timings.items():
        p50, p95_ms = statistics.median(samples), p95(samples)
        print(f"{label:28}{p50:9.2f}{p95_ms:9.2f}{p50 / base_p50:11.1f}{p95_ms / base_p95:11.1f}")
        if label != "bare primary-key fetch" and p95_ms >= GOAL_MS:
            misses.append(f"{label}: p95 {p95_ms:.0f} ms")
    assert not misses, f"over the {GOAL_MS} ms goal: {misses}"
