"""Benchmark: households, members and scheme linkages on top of the 1,000,000-case data set (tests/bench/dataset.py).

Every child with a home district in the state gets a household (members: mother, often a father, sometimes a
grandparent), rescued-child facts, and linkages to the seeded schemes at every step of the workflow, all made
set-based and kept between runs like the cases. Measured, each as p50/p95 in ms and as a ratio to a bare
primary-key fetch in the same run:

- the state's eligible-but-unlinked count per scheme: live (one set-based COUNT per scheme over every household)
  and from the summary table that the Celery task `schemes.tasks.eligibility_summary_refresh` rebuilds (its
  refresh time is printed too). Goal: p95 under 300 ms.
- a district's linkage queue (first page, a page 100 deep, the overdue filter; query and whole page) and a
  department nodal officer's state-wide queue. Goal: p95 under 150 ms.
- one household's eligibility with reasons (what the case page's panel computes).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_schemes_bench \
      .venv/bin/python -m pytest tests/bench/bench_schemes.py -p no:cacheprovider -s -m bench \
      -o python_files='bench_*.py' --reuse-db
"""

from __future__ import annotations

import random
import statistics
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.core.keyset import parse_cursor
from clts.orgs.models import Department
from rescue.models import Case
from schemes import queries, services
from schemes.catalogue import catalogue_seed
from schemes.models import Household, Linkage, Scheme
from tests.bench.dataset import bench_cases  # noqa: F401 (the session fixture)
from tests.bench.timing import p95, sample_ms

pytestmark = [pytest.mark.bench, pytest.mark.django_db]

RUNS = 40
STATE_GOAL_MS = 300
QUEUE_GOAL_MS = 150

# h(n): a stable pseudo-random integer 0..99 per case and salt, so a rerun makes the same data.
_H = "mod(abs(hashint8(c.id * 7919 + {salt})::bigint), 100)"

_HOUSEHOLD_SQL = [
    "SET LOCAL session_replication_role = replica",
    # One household per child of the state (a child of another state has no home district here).
    f"""
    CREATE TEMP TABLE bench_new_household ON COMMIT DROP AS
    SELECT c.id AS case_id, c.child_id, c.home_district_id AS district_id, c.home_block_id AS block_id,
           {_H.format(salt=1)} AS h1, {_H.format(salt=2)} AS h2, {_H.format(salt=3)} AS h3,
           {_H.format(salt=4)} AS h4, {_H.format(salt=5)} AS h5, {_H.format(salt=6)} AS h6,
           {_H.format(salt=7)} AS h7, {_H.format(salt=8)} AS h8, {_H.format(salt=9)} AS h9,
           row_number() OVER (ORDER BY c.id) AS n
    FROM rescue_case c
    WHERE c.created_by_id = %(user)s AND c.home_district_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM schemes_householdchild hc WHERE hc.child_id = c.child_id)
    """,  # noqa: S608 (only the constant _H is formatted in)
    "CREATE TEMP TABLE bench_base ON COMMIT DROP AS SELECT coalesce(max(id), 0) AS household FROM schemes_household",
    """
    INSERT INTO schemes_household (id, district_id, block_id, village_id, village_text, address, area, phone,
      social_category, minority, bpl, ration_card_type, ration_card_last4, ration_card_hash, income_band,
      land_acres, house_type, resident_in_state, bank_account_last4, bank_account_hash, bank_ifsc, created_by_id,
      created_at, updated_at)
    SELECT b.household + h.n, h.district_id, h.block_id, NULL, 'Bench village', '',
      CASE WHEN h.h1 < 85 THEN 'rural' ELSE 'urban' END, '',
      (ARRAY['sc','st','ebc','obc','general'])[1 + mod(h.h2, 5)], h.h3 < 15, h.h4 < 40,
      CASE WHEN h.h5 < 30 THEN 'none' WHEN h.h5 < 80 THEN 'phh' WHEN h.h5 < 95 THEN 'aay' ELSE 'other' END,
      '', '',
      CASE WHEN h.h6 < 10 THEN '' ELSE (ARRAY['below_5000','upto_6000','upto_8000','upto_10000','above_10000'])
        [1 + mod(h.h6, 5)] END,
      CASE WHEN h.h7 < 50 THEN 0 ELSE mod(h.h7, 7) / 2.0 END,
      (ARRAY['houseless','kutcha','kutcha','semi_pucca','pucca'])[1 + mod(h.h8, 5)], h.h9 < 98, '', '', '',
      %(user)s, now(), now()
    FROM bench_new_household h, bench_base b
    """,
    """
    INSERT INTO schemes_householdchild (household_id, child_id, parent_status, enrolled_in_school, school_name,
      school_class, linked_at)
    SELECT b.household + h.n, h.child_id,
      CASE WHEN h.h1 < 80 THEN 'both' WHEN h.h2 < 50 THEN 'mother_only' WHEN h.h2 < 75 THEN 'father_only'
           ELSE 'orphan' END,
      h.h3 < 60, '', CASE WHEN h.h3 < 60 THEN 1 + mod(h.h4, 12) END, now()
    FROM bench_new_household h, bench_base b
    """,
    # Members: a mother always, a father in four households of five, a grandparent in three of ten.
    """
    INSERT INTO schemes_householdmember (household_id, name, relation, sex, age_years, age_as_of, marital_status,
      occupation, disabled, disability_percent, is_guardian, aadhaar_last4, aadhaar_hash, created_at, updated_at)
    SELECT b.household + h.n, m.name, m.relation, m.sex, m.age, CURRENT_DATE, m.marital, m.occupation,
      m.disabled, CASE WHEN m.disabled THEN 40 + mod(h.h9 * 3, 61) END, m.guardian, '', '', now(), now()
    FROM bench_new_household h CROSS JOIN bench_base b
    CROSS JOIN LATERAL (VALUES
      (1, 'Bench Mother', 'mother', 'f', 25 + mod(h.h5 + h.h6, 26),
          CASE WHEN h.h7 < 10 THEN 'widowed' WHEN h.h7 < 15 THEN 'separated' ELSE 'married' END,
          (ARRAY['homemaker','agricultural_labour','casual_labour','domestic_work','construction'])[1 + mod(h.h8, 5)],
          h.h9 < 3, true),
      (2, 'Bench Father', 'father', 'm', 28 + mod(h.h6 + h.h8, 27), 'married',
          (ARRAY['construction','agricultural_labour','casual_labour','cultivator','self_employed','unemployed'])
            [1 + mod(h.h4 + h.h1, 6)],
          h.h2 < 3, false),
      (3, 'Bench Grandparent', CASE WHEN h.h3 < 50 THEN 'grandmother' ELSE 'grandfather' END,
          CASE WHEN h.h3 < 50 THEN 'f' ELSE 'm' END, 55 + mod(h.h1 + h.h4, 35),
          CASE WHEN h.h5 < 50 THEN 'widowed' ELSE 'married' END, 'unable', h.h6 < 5, false)
    ) AS m(k, name, relation, sex, age, marital, occupation, disabled, guardian)
    WHERE m.k = 1 OR (m.k = 2 AND h.h7 >= 10 AND h.h2 < 80) OR (m.k = 3 AND h.h8 < 30)
    """,
    # Linkages: about a third of the households followed for a household scheme, at every step; a quarter of
    # the children for a child scheme. Oldest first means status times spread over two years.
    """
    INSERT INTO schemes_linkage (scheme_id, household_id, case_id, child_id, member_id, district_id, block_id,
      department_id, status, attempt, identified_at, identified_by_id, status_changed_at, applied_on,
      application_number, applied_office, due_on, sanction_order, sanctioned_on, sanctioned_amount, received_on,
      receipt_verification, receipt_note, rejected_on, rejection_reason, rejection_text, created_at, updated_at)
    SELECT l.scheme_id, b.household + h.n, h.case_id, l.child_id, NULL, h.district_id, h.block_id, l.department_id,
      l.status, 1,
      l.at - interval '30 days', %(user)s, l.at,
      CASE WHEN l.status IN ('applied','sanctioned','received','rejected') THEN (l.at - interval '20 days')::date END,
      '', '',
      CASE WHEN l.status IN ('applied','sanctioned') AND l.service_days IS NOT NULL
           THEN (l.at - interval '20 days')::date + l.service_days END,
      '', CASE WHEN l.status IN ('sanctioned','received') THEN (l.at - interval '10 days')::date END, NULL,
      CASE WHEN l.status = 'received' THEN l.at::date END, CASE WHEN l.status = 'received' THEN 'visit' ELSE '' END,
      '', CASE WHEN l.status = 'rejected' THEN l.at::date END,
      CASE WHEN l.status = 'rejected' THEN 'documents' ELSE '' END, '', now(), now()
    FROM bench_new_household h CROSS JOIN bench_base b
    CROSS JOIN LATERAL (
      SELECT s.id AS scheme_id, s.department_id, s.service_days,
             CASE WHEN s.beneficiary = 'child' THEN h.child_id END AS child_id,
             (ARRAY['identified','documents_complete','applied','sanctioned','received','received','rejected'])
               [1 + mod(h.h1 + h.h2 + s.id, 7)] AS status,
             now() - (mod(h.n * 37 + s.id * 101, 730) || ' days')::interval
               - (mod(h.n, 86400) || ' seconds')::interval AS at
      FROM schemes_scheme s
      WHERE (s.beneficiary = 'household' AND mod(h.h3 + s.id * 13, 100) < 9)
         OR (s.beneficiary = 'child' AND mod(h.h4 + s.id * 17, 100) < 12)
    ) AS l
    """,
]


@pytest.fixture(scope="session")
def bench_households(bench_cases, django_db_blocker):  # noqa: F811 (the imported fixture is used by name)
    with django_db_blocker.unblock():
        catalogue_seed()
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in _HOUSEHOLD_SQL:
                cursor.execute(statement, {"user": bench_cases.user.pk})
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('schemes_household', 'id'), "
                "(SELECT coalesce(max(id), 1) FROM schemes_household))"
            )
        sizes = {}
        with connection.cursor() as cursor:
            for table in ("household", "householdchild", "householdmember", "linkage"):
                cursor.execute(f"ANALYZE schemes_{table}")
                cursor.execute(f"SELECT count(*) FROM schemes_{table}")  # noqa: S608 (constant names)
                sizes[table] = cursor.fetchone()[0]
        made = time.monotonic() - started
        started = time.monotonic()
        rows = services.eligibility_summary_refresh()
        refreshed = time.monotonic() - started
    print(
        f"schemes data: {sizes['household']:,} households, {sizes['householdchild']:,} rescued children in them, "
        f"{sizes['householdmember']:,} members, {sizes['linkage']:,} linkages ({made:.0f} s to make or find); "
        f"eligibility_summary_refresh: {rows:,} scheme-district rows in {refreshed:.1f} s"
    )
    return bench_cases


def _timed(label: str, fn, *, baseline: float | None = None, goal: float | None = None, runs: int = RUNS) -> dict:
    times = sample_ms(fn, runs=runs)
    p50, p95_ms = statistics.median(times), p95(times)
    ratio = f"  {p95_ms / baseline:7.1f}x pk" if baseline else ""
    verdict = "" if goal is None else ("  ok" if p95_ms < goal else f"  OVER the {goal} ms goal")
    print(f"  {label:<58} p50 {p50:8.2f} ms  p95 {p95_ms:8.2f} ms{ratio}{verdict}")
    return {"label": label, "p50": p50, "p95": p95_ms, "goal": goal}


def _user(username: str, **values) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"first_name": "Bench", **values})
    return user


def test_schemes_counts_and_queues(bench_households, settings):
    settings.SECURE_SSL_REDIRECT = False
    data = bench_households
    districts = data.districts
    officers = [_user(f"bench-district-{d.pk}", role=Role.DISTRICT, district=d, state=d.state) for d in districts]
    food = Department.objects.get(code="food")
    nodal = _user("bench-nodal-food", role=Role.NODAL, department=food, state=districts[0].state)
    case_ids = list(
        Case.objects.filter(created_by=data.user).values_list("pk", flat=True)[:: max(1, data.cases // 5000)]
    )
    household_ids = list(Household.objects.values_list("pk", flat=True)[:: max(1, data.cases // 2000)])
    rng = random.Random(6)
    rng.shuffle(case_ids)
    rng.shuffle(household_ids)

    # The cursor of page 100 (5,000 linkages deep) of a few districts' queues, found by walking the pages.
    deep = {}
    for officer in officers[:: max(1, len(officers) // 6)]:
        after = None
        for _ in range(100):
            _rows, cursor = queries.linkage_queue(user=officer, after=after)
            if not cursor:
                break
            after = parse_cursor(cursor)
        deep[officer.pk] = after
    deep_officers = [o for o in officers if deep.get(o.pk)]
    clients = {}
    for user in [*officers, nodal]:
        client = Client()
        client.force_login(user)
        clients[user.pk] = client
    queue_url = reverse("schemes:linkage-queue")
    sizes = {o.district.name_en: Linkage.objects.visible_to(o).open().count() for o in officers[:3]}
    schemes = Scheme.objects.filter(is_active=True).count()

    print(
        f"\nschemes benchmark: {data.cases:,} cases, {schemes} schemes; open linkages in the first three "
        f"districts' queues: {sizes}"
    )
    base = _timed(
        "bare primary-key fetch (Case.objects.get)", lambda i: Case.objects.get(pk=case_ids[i % len(case_ids)])
    )
    baseline = base["p95"]

    def state_summary(i):
        counts = queries.eligible_unlinked_summary()
        assert len(counts) == schemes

    def district_queue(i, **kwargs):
        rows, _cursor = queries.linkage_queue(user=officers[i % len(officers)], **kwargs)
        assert rows or kwargs

    def deep_queue(i):
        officer = deep_officers[i % len(deep_officers)]
        rows, _cursor = queries.linkage_queue(user=officer, after=deep[officer.pk])
        assert rows

    def queue_page(i, user=None, **params):
        user = user or officers[i % len(officers)]
        response = clients[user.pk].get(queue_url, params)
        assert response.status_code == 200

    def household_engine(i):
        household = Household.objects.get(pk=household_ids[i % len(household_ids)])
        queries.household_eligibility(household=household)

    results = [
        _timed(
            "state eligible-but-unlinked per scheme (summary table)",
            state_summary,
            baseline=baseline,
            goal=STATE_GOAL_MS,
        ),
        _timed(
            "district eligible-but-unlinked per scheme (live SQL)",
            lambda i: queries.eligible_unlinked_counts(district_id=districts[i % len(districts)].pk),
            baseline=baseline,
            runs=10,
        ),
        _timed(
            "state eligible-but-unlinked per scheme (live SQL)",
            lambda i: queries.eligible_unlinked_counts(),
            baseline=baseline,
            runs=5,
        ),
        _timed("district linkage queue, first page (query)", district_queue, baseline=baseline, goal=QUEUE_GOAL_MS),
        _timed("district linkage queue, page 100 (keyset, query)", deep_queue, baseline=baseline, goal=QUEUE_GOAL_MS),
        _timed(
            "district linkage queue, overdue only (query)",
            lambda i: district_queue(i, status="overdue"),
            baseline=baseline,
            goal=QUEUE_GOAL_MS,
        ),
        _timed("district linkage queue, first page (whole page)", queue_page, baseline=baseline, goal=QUEUE_GOAL_MS),
        _timed(
            "nodal officer's state-wide queue, first page (whole page)",
            lambda i: queue_page(i, user=nodal),
            baseline=baseline,
            goal=QUEUE_GOAL_MS,
        ),
        _timed("one household's eligibility with reasons (case panel)", household_engine, baseline=baseline),
    ]
    refresh = _timed(
        "summary refresh (Celery task, whole state)", lambda i: services.eligibility_summary_refresh(), runs=3
    )
    assert refresh
    over = [r["label"] for r in results if r["goal"] and r["p95"] >= r["goal"]]
    assert not over, f"p95 over the goal: {over}"
