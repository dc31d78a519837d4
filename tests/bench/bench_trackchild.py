"""Benchmark of trackchild_sync: the nightly matching pass of 100,000 missing reports against 100,000 found children
and CCI residents through the engine's blocking keys (time, pairs scored per second), and the occupancy and
compliance pages (p95 through the test client, with the ratio to a primary-key fetch) on the benchmark cases.

Data (tests/bench/trackchild_data.py, written by COPY): 20 CCIs and 30 police stations per district; 50,000
residents and 50,000 found children, each a benchmark child described by the CCI or the police who found the child;
100,000 missing reports by families, half of them of those children (the true pairs, with the variations officers
produce: spelling, script, surname dropped, age a year off, parent left out or spelt otherwise), half of other
children, a tenth of these namesakes of a resident or found child. The pass prints how many true pairs it raised
(recall) and how many pairs in all. Run (see dataset.py; BENCH_TC_MISSING narrows the pass):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench_trackchild \
      .venv/bin/python -m pytest tests/bench/bench_trackchild.py -p no:cacheprovider -s -m bench \
      -o python_files='bench_*.py' --reuse-db
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.orgs.models import Institution
from tests.bench import trackchild_data
from tests.bench.dataset import bench_cases  # noqa: F401 (the session fixture)
from tests.bench.timing import p95, sample_ms
from trackchild_sync import compliance, matching
from trackchild_sync.models import MatchKey, MatchPair, MissingReport

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
MISSING = int(os.environ.get("BENCH_TC_MISSING", "100000"))
TARGETS = MISSING // 2  # residents, and as many found children


def _build(user: User) -> None:
    if trackchild_data.built(MISSING):
        return
    made = trackchild_data.build(user_id=user.pk, missing=MISSING)
    # The keys, as the incremental task stores them when each record is added: the pass below is a night's pass.
    started = time.monotonic()
    made["keys"] = matching.keys_refresh()
    made["keys_seconds"] = time.monotonic() - started
    print(
        f"trackchild data: {made['residents']:,} residents, {made['found']:,} found children, {made['reports']:,} "
        f"reports ({made['namesakes']:,} namesakes of a resident or found child); {made['true_pairs']:,} true pairs; "
        f"their {made['keys']:,} keys stored in {made['keys_seconds']:.0f} s (load {os.getloadavg()[0]:.1f})"
    )


@pytest.fixture(scope="session")
def bench_trackchild(bench_cases, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        user = bench_cases.user
        for district in bench_cases.districts:
            for i in range(20):
                Institution.objects.get_or_create(
                    kind="cci",
                    district=district,
                    name=f"Bench home {i} {district.name_en}",
                    defaults={"state": district.state, "capacity": 100},
                )
            for i in range(30):
                Institution.objects.get_or_create(
                    kind="police",
                    district=district,
                    name=f"Bench police station {i} {district.name_en}",
                    defaults={"state": district.state},
                )
        with connection.cursor() as cursor:
            # The homes and stations just added counted by the planner (autovacuum would, in its own time).
            cursor.execute("ANALYZE orgs_institution")
        started = time.monotonic()
        _build(user)
        print(f"trackchild data: {time.monotonic() - started:.0f} s")
    return bench_cases


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def test_nightly_matching_pass(bench_trackchild, django_db_blocker):
    with django_db_blocker.unblock():
        reports = MissingReport.objects.count()
        true_pairs = trackchild_data.true_pairs()
        load = os.getloadavg()
        base = p95(sample_ms(lambda i: MissingReport.objects.filter(pk=1 + i).first(), runs=50))
        result = matching.matching_pass()
        keys = MatchKey.objects.count()
        found_true, strong_true = trackchild_data.raised_true()
        strong = MatchPair.objects.filter(strength="strong").count()
    split = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result["split"].items() if name != "total")
    print(
        f"\nmatching pass: {reports:,} reports against {result['sizes']} targets; "
        f"{keys:,} keys; {result['scored']:,} pairs scored in {result['seconds']:.0f} s "
        f"({result['scored'] / max(result['seconds'], 0.001):,.0f} pairs/s; {split}); {result['raised']:,} pairs "
        f"raised ({strong:,} strong), of them {found_true:,} of the {true_pairs:,} true pairs "
        f"(recall {found_true / max(true_pairs, 1):.1%}; {strong_true:,} strong); load average before "
        f"{load[0]:.1f}, after {os.getloadavg()[0]:.1f}; pk fetch p95 {base:.2f} ms; uptime: {_uptime()}"
    )
    assert result["seconds"] < 600, "goal: the nightly pass under 10 minutes"


def test_occupancy_and_compliance_pages(bench_trackchild, django_db_blocker):
    with django_db_blocker.unblock():
        district = bench_trackchild.districts[0]
        home = Institution.objects.filter(kind="cci", district=district, name__startswith="Bench home 0").first()
        officer, _ = User.objects.get_or_create(
            username="bench-district-officer",
            defaults={"role": Role.DISTRICT, "district": district, "state": district.state},
        )
        state, _ = User.objects.get_or_create(
            username="bench-state-officer", defaults={"role": Role.STATE, "state": district.state}
        )
        client, state_client = Client(), Client()
        client.force_login(officer)
        state_client.force_login(state)
        register = reverse("trackchild:home-register", args=[home.pk])
        compliance_page = reverse("trackchild:upload-compliance")
        pk_fetch = sample_ms(lambda i: MissingReport.objects.filter(pk=1 + i).first(), runs=50)
        # The state's page sums the figures Celery counts every ten minutes: one refresh, as the beat runs it.
        started = time.monotonic()
        kept = compliance.figures_refresh()
        refresh_seconds = time.monotonic() - started
        pages = {
            "register with occupancy by day (one home)": sample_ms(lambda i: client.get(register), runs=30),
            "compliance, district": sample_ms(lambda i: client.get(compliance_page), runs=30),
            "compliance, state (all districts)": sample_ms(lambda i: state_client.get(compliance_page), runs=20),
            "compliance, state, one district": sample_ms(
                lambda i: state_client.get(compliance_page, {"district": district.pk}), runs=30
            ),
        }
    base = p95(pk_fetch)
    print(f"\npages at {bench_trackchild.cases:,} cases (load {os.getloadavg()[0]:.1f}); pk fetch p95 {base:.2f} ms")
    print(f"  uptime: {_uptime()}")
    print(f"  compliance figures of {kept:,} homes and stations counted in {refresh_seconds:.2f} s (every ten minutes)")
    for name, samples in pages.items():
        print(f"  {name}: p95 {p95(samples):.0f} ms ({p95(samples) / base:.0f}x a pk fetch)")
    slow = {name: p95(samples) for name, samples in pages.items() if p95(samples) > 150}
    assert not slow, f"over the 150 ms goal: {slow}"
