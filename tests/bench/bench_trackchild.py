"""Benchmark of trackchild_sync: the nightly matching pass of 100,000 missing reports against 100,000 found children
and CCI residents through the engine's blocking keys (time, pairs scored per second), and the occupancy and
compliance pages (p95 through the test client, with the ratio to a primary-key fetch) on the benchmark cases.

Data, set-based SQL over the benchmark children (tests/bench/dataset.py): 20 CCIs and 30 police stations per
district; 50,000 residents and 50,000 found children, each described from a benchmark child (name, sex, age, a height
from the age, one or two marks from a small vocabulary, languages); 100,000 missing reports, half of them the same
children described again by their families (age one year off for a third, height a few cm off, fewer marks), half
other children. Run (see dataset.py; BENCH_TC_MISSING narrows the pass):

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
from tests.bench.dataset import bench_cases  # noqa: F401 (the session fixture)
from tests.bench.timing import p95, sample_ms
from trackchild_sync import matching
from trackchild_sync.models import MatchKey, MissingReport

pytestmark = [pytest.mark.bench, pytest.mark.django_db]
MISSING = int(os.environ.get("BENCH_TC_MISSING", "100000"))
TARGETS = MISSING // 2  # residents, and as many found children

_DESCRIBED = """
    SELECT c.id AS child_id, c.name, c.sex, ca.age_at_rescue AS age, c.guardian_name, c.father_name,
           ca.district_id, row_number() OVER (ORDER BY c.id) AS n
    FROM rescue_child c JOIN rescue_case ca ON ca.child_id = c.id AND ca.created_by_id = %(user)s
    WHERE c.sex IN ('m', 'f') AND ca.district_id IS NOT NULL
"""
_MARKS = (
    "(ARRAY['mole on the chin','scar on the left hand','burn mark on the arm','birthmark on the neck',"
    "'tattoo of a name on the wrist','missing front tooth','scar over the right eyebrow','mole near the left ear'])"
)
_LANGS = "(ARRAY['Hindi','Hindi, Magahi','Bhojpuri','Maithili','Hindi, Urdu','Bengali','Santhali'])"


def _sql(template: str) -> str:
    """The module's SQL with its constant parts put in (no input from outside goes into a statement)."""
    return template.replace("@DESCRIBED", _DESCRIBED).replace("@MARKS", _MARKS).replace("@LANGS", _LANGS)


def _build(user: User) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM trackchild_sync_missingreport")
        if cursor.fetchone()[0] >= MISSING:
            return
        cursor.execute(
            "TRUNCATE trackchild_sync_matchpair, trackchild_sync_matchkey, trackchild_sync_missingreport, "
            "trackchild_sync_foundchild, trackchild_sync_registerevent, trackchild_sync_residence CASCADE"
        )
        params = {"user": user.pk, "targets": TARGETS, "missing": MISSING}
        # Residents: children 1..T, spread over the 20 homes of their district.
        cursor.execute(
            _sql(
                """
            INSERT INTO trackchild_sync_residence (name, sex, age_years, height_cm, complexion, identifying_marks,
                languages, guardian_name, trackchild_id, institution_id, cwc_id, order_number, ordered_on,
                exception_order, admitted_on, leaving_reason, leaving_notes, recorded_by_id, recorded_at, updated_at)
            SELECT d.name, d.sex, d.age, 70 + d.age * 6 + (d.n %% 9), '',
                   @MARKS[1 + d.n %% 8], @LANGS[1 + d.n %% 7],
                   d.guardian_name, '', h.id, w.id, '', current_date - (d.n %% 700)::int, '',
                   current_date - (d.n %% 700)::int, '', '', %(user)s, now() - ((d.n %% 700) || ' days')::interval,
                   now()
            FROM (@DESCRIBED) d
            JOIN LATERAL (SELECT id FROM orgs_institution WHERE kind = 'cci' AND district_id = d.district_id
                          ORDER BY id OFFSET d.n %% 20 LIMIT 1) h ON true
            JOIN LATERAL (SELECT id FROM orgs_institution WHERE kind = 'cwc' AND district_id = d.district_id
                          LIMIT 1) w ON true
            WHERE d.n <= %(targets)s
            """
            ),
            params,
        )
        # Found children: children T+1..2T.
        cursor.execute(
            _sql(
                """
            INSERT INTO trackchild_sync_foundchild (name, sex, age_years, height_cm, complexion, identifying_marks,
                languages, guardian_name, trackchild_id, found_by, found_on, found_place, district_id, placed_note,
                matched, recorded_by_id, recorded_at, updated_at)
            SELECT d.name, d.sex, d.age, 70 + d.age * 6 + (d.n %% 7), '',
                   @MARKS[1 + d.n %% 8], @LANGS[1 + d.n %% 7],
                   '', '', 'Railway police', current_date - (d.n %% 400)::int, 'railway station', d.district_id,
                   '', false, %(user)s, now(), now()
            FROM (@DESCRIBED) d WHERE d.n > %(targets)s AND d.n <= 2 * %(targets)s
            """
            ),
            params,
        )
        # Missing reports: children 1..2T described again by their families (even n), and other children (odd n
        # from 2T+1 on): half the reports have their child among the targets.
        cursor.execute(
            _sql(
                """
            INSERT INTO trackchild_sync_missingreport (name, sex, age_years, height_cm, complexion, identifying_marks,
                languages, guardian_name, trackchild_id, station_id, district_id, fir_kind, fir_number, reported_on,
                last_seen_on, last_seen_place, guardian_phone, status, recorded_by_id, recorded_at, updated_at)
            SELECT split_part(d.name, ' ', 1), d.sex, d.age - (d.n %% 3 = 0)::int, 70 + d.age * 6 + (d.n %% 5) - 2, '',
                   CASE WHEN d.n %% 2 = 0 THEN @MARKS[1 + d.n %% 8] ELSE '' END, @LANGS[1 + (d.n + 1) %% 7],
                   coalesce(nullif(d.father_name, ''), d.guardian_name), '', s.id, s.district_id, 'fir',
                   d.n || '/bench', current_date - 800, current_date - 801, 'market', '', 'open', %(user)s,
                   now() - ((d.n %% 30) || ' days')::interval, now()
            FROM (@DESCRIBED) d
            JOIN LATERAL (SELECT id, district_id FROM orgs_institution WHERE kind = 'police'
                          ORDER BY id OFFSET d.n %% 1140 LIMIT 1) s ON true
            WHERE (d.n <= 2 * %(targets)s AND d.n %% 2 = 0)
               OR (d.n > 2 * %(targets)s AND d.n <= 3 * %(targets)s)
            """
            ),
            params,
        )
        cursor.execute("ANALYZE trackchild_sync_residence, trackchild_sync_foundchild, trackchild_sync_missingreport")


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
        started = time.monotonic()
        _build(user)
        print(f"trackchild data: {time.monotonic() - started:.0f} s")
    return bench_cases


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True, check=False).stdout.strip()  # noqa: S607


def test_nightly_matching_pass(bench_trackchild, django_db_blocker):
    with django_db_blocker.unblock():
        counts = {model.__name__: model.objects.count() for model in (MissingReport,)}
        load = os.getloadavg()
        base = p95(sample_ms(lambda i: MissingReport.objects.filter(pk=1 + i).first(), runs=50))
        result = matching.matching_pass()
        keys = MatchKey.objects.count()
    split = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in result["split"].items() if name != "total")
    print(
        f"\nmatching pass: {counts['MissingReport']:,} reports against {result['sizes']} targets; "
        f"{keys:,} keys; {result['scored']:,} pairs scored in {result['seconds']:.0f} s "
        f"({result['scored'] / max(result['seconds'], 0.001):,.0f} pairs/s; {split}), {result['raised']:,} pairs "
        f"raised; load average before {load[0]:.1f}, after {os.getloadavg()[0]:.1f}; pk fetch p95 {base:.2f} ms; "
        f"uptime: {_uptime()}"
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
        compliance = reverse("trackchild:upload-compliance")
        pk_fetch = sample_ms(lambda i: MissingReport.objects.filter(pk=1 + i).first(), runs=50)
        pages = {
            "register with occupancy by day (one home)": sample_ms(lambda i: client.get(register), runs=30),
            "compliance, district": sample_ms(lambda i: client.get(compliance), runs=30),
            "compliance, state (all districts)": sample_ms(lambda i: state_client.get(compliance), runs=20),
            "compliance, state, one district": sample_ms(
                lambda i: state_client.get(compliance, {"district": district.pk}), runs=30
            ),
        }
    base = p95(pk_fetch)
    print(f"\npages at {bench_trackchild.cases:,} cases (load {os.getloadavg()[0]:.1f}); pk fetch p95 {base:.2f} ms")
    print(f"  uptime: {_uptime()}")
    for name, samples in pages.items():
        print(f"  {name}: p95 {p95(samples):.0f} ms ({p95(samples) / base:.0f}x a pk fetch)")
    slow = {name: p95(samples) for name, samples in pages.items() if p95(samples) > 150}
    assert not slow, f"over the 150 ms goal: {slow}"
