"""Where a cold dashboard request spends its time: SQL (each statement with EXPLAIN (ANALYZE, BUFFERS)), the
disclosure rule, building the sections and charts, and the template; load-independent counts beside the times.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench_reports .venv/bin/python -m pytest \
      tests/bench/bench_reports_profile.py -s -p no:cacheprovider -m bench -o python_files='bench_*.py' --reuse-db

Reuses the figures of bench_reports.py when they are there (run it first), else rebuilds them. For each page:
the statements it ran (count, ms in the page, and each one's plan: rows, shared buffers hit/read, execution
time), then a cProfile of ten cold requests: the share of the request in SQL, `protect`, the sections and charts,
and the template, and the Python functions with the most time of their own. BENCH_PLANS=1 prints whole plans.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clts.accounts.roles import Role
from clts.geo.models import District
from clts.reports.models import CaseFacts
from clts.reports.services import facts_refresh
from tests import factories as f
from tests.bench.bench_reports import evict_dashboards
from tests.bench.dataset import bench_cases  # noqa: F401 (the session fixture)

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 10
# What a share of the request is: cumulative time of these functions (file fragment, function name).
PARTS = {
    "SQL (cursor execute)": [("django/db/backends/utils.py", "_execute")],
    "disclosure (protect)": [("clts/core/disclosure.py", "protect")],
    "figures read and keyed (dashboard minus protect and SQL)": [("clts/reports/figures.py", "dashboard")],
    "sections and charts": [("clts/reports/figures.py", "_sections"), ("clts/reports/pages.py", "_charts")],
    "template render": [("django/template/backends/django.py", "render")],
}  # fmt: skip


@pytest.fixture(scope="module")
def figures_built(bench_cases, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        if not CaseFacts.objects.exists():
            facts_refresh()


def _plan_summary(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [line for (line,) in cursor.fetchall()]
    if os.environ.get("BENCH_PLANS"):
        return plan
    buffers = next((line.strip() for line in plan if line.lstrip().startswith("Buffers")), "no buffers")
    rows = re.search(r"rows=(\d+) loops", plan[0])
    timing = [line.strip() for line in plan if line.endswith(" ms")]
    return [f"{plan[0].split('(actual')[0].strip()[:70]} rows={rows.group(1) if rows else '?'}; {buffers}", *timing]


def _cumulative(stats: pstats.Stats, targets: list[tuple[str, str]]) -> float:
    total = 0.0
    for (filename, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
        if any(filename.endswith(fragment) and name == function for fragment, function in targets):
            total += ct
    return total


def test_dashboard_profile(figures_built):
    print(f"\nload average before: {os.getloadavg()}")
    gaya = District.objects.get(state__lgd_code=10, short_code="GAY")
    state = f.make_user(Role.STATE, username="profile-reports-state", state=gaya.state)
    officer = f.make_user(Role.DISTRICT, username="profile-reports-gaya", district=gaya)
    dashboard = reverse("reports:dashboard")
    district = reverse("reports:district", kwargs={"district_id": gaya.pk})
    crosstab = reverse("reports:crosstab")
    cases = {
        "state dashboard, state": (state, dashboard, {}),
        "state dashboard, Gaya officer": (officer, dashboard, {}),
        "state dashboard, Gaya officer, Gaya filter": (officer, dashboard, {"district": gaya.pk}),
        "state dashboard, sex filter": (state, dashboard, {"sex": "f"}),
        "district dashboard, Gaya officer": (officer, district, {}),
        "cross-tab district x industry": (state, crosstab, {"rows": "district", "columns": "industry"}),
        "page without figures (monthly list)": (state, reverse("reports:monthly-list"), {}),
    }  # fmt: skip
    for label, (user, url, query) in cases.items():
        client = Client()
        client.force_login(user)
        client.get(url, query)  # warm the connection, translations, templates
        evict_dashboards()
        with CaptureQueriesContext(connection) as captured:
            client.get(url, query)
        print(f"\n== {label}: {len(captured.captured_queries)} statements "
              f"({sum(float(q['time']) for q in captured.captured_queries) * 1000:.1f} ms in the page)")  # fmt: skip
        for statement in captured.captured_queries:
            sql = statement["sql"]
            print(f"  {float(statement['time']) * 1000:6.1f} ms  {sql[:110]}")
            if sql.startswith("SELECT") and "django_session" not in sql:
                # Re-run with the same text (params are inlined by Django's capture, so run it as it is).
                for line in _plan_summary(sql, None):
                    print("      " + line)
        profile = cProfile.Profile()
        for _ in range(RUNS):
            evict_dashboards()
            profile.enable()
            client.get(url, query)
            profile.disable()
        stats = pstats.Stats(profile)
        total = stats.total_tt
        parts = {name: _cumulative(stats, targets) for name, targets in PARTS.items()}
        figures_total = parts["figures read and keyed (dashboard minus protect and SQL)"]
        if figures_total:
            sql_in_figures = _cumulative(stats, [("clts/reports/figures.py", "_read")])
            parts["figures read and keyed (dashboard minus protect and SQL)"] = (
                figures_total - parts["disclosure (protect)"] - sql_in_figures
            )
        print(f"  cProfile, {RUNS} cold requests, {total / RUNS * 1000:.1f} ms each under the profiler:")
        for name, seconds in parts.items():
            print(f"    {name:58} {seconds / RUNS * 1000:8.1f} ms {100 * seconds / total:5.1f} %")
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(8)
        print("\n".join("    " + line for line in out.getvalue().splitlines()[-12:] if line.strip()))
    print(f"load average after: {os.getloadavg()}")
