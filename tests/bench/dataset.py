"""A benchmark database: N rescued children's cases (default 1,000,000) across the 38 districts of Bihar.

Rows are made by set-based SQL (INSERT ... SELECT over generate_series), not Python loops, and the data is
reused when present: a second run with the same N does nothing, a larger N adds only the missing cases.
The people are invented: names are built from syllables ("Ravika Sulemor"), never real persons.

How to run (a dedicated database, kept between runs with --reuse-db):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/clts_bench \
      .venv/bin/python -m pytest tests/bench/bench_rescue.py -p no:cacheprovider -s -m bench \
      -o python_files='bench_*.py' --reuse-db

pytest-django creates `test_clts_bench` on the first run (loading 1,000,000 cases takes a few minutes) and,
with --reuse-db, keeps it and its data for the next run; new migrations are still applied. BENCH_CASES=50000
in the environment makes a smaller data set for a quick look. Never point this at a database you care about:
`ensure_cases` refuses a database whose name does not start with "test_" or contain "bench".

Other apps' benchmarks build on it: use the `bench_cases` fixture (import it into the bench module:
`from tests.bench.dataset import bench_cases  # noqa: F401`), then add their own rows for
`Case.objects.filter(created_by=info.user)` with set-based SQL in their own session fixture.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.geo.models import District, State
from clts.orgs.models import Institution
from rescue.matching import name_key

BENCH_CASES = int(os.environ.get("BENCH_CASES", "1000000"))
BENCH_USERNAME = "bench-loader"
HOME_STATE_CODE = 10  # Bihar's LGD state code (clts/geo/data/states.csv)
# Invented names: syllables joined, so no real person is named.
SYLLABLES = [
    "ra", "mi", "su", "ka", "la", "na", "vi", "de", "pu", "sha", "ni", "ta", "ro", "ja", "ma", "ku", "se", "ba",
    "di", "go", "ha", "li", "mo", "pa", "ri", "so", "ti", "va", "ya", "chi",
]  # fmt: skip
SURNAME_PARTS = ["lemor", "kavan", "dasur", "mitol", "ravin", "sokar", "tupel", "vanik", "harod", "jalim"]
VILLAGES = ["Amrapur", "Belatand", "Chandoli", "Dhanvari", "Gopalik", "Harsipur", "Jivantol", "Kusumdih"]
OTHER_STATES = [7, 8, 27, 9, 6, 24, 29, 3]  # LGD codes: Delhi, Rajasthan, Maharashtra, UP, Haryana, Gujarat, ...


@dataclass
class BenchData:
    cases: int
    user: User
    districts: list[District]
    seconds: float


def _first_names() -> list[str]:
    names = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]
    return [name.capitalize() for name in names]


def _surnames() -> list[str]:
    return [(a + b).capitalize() for a in SYLLABLES[:12] for b in SURNAME_PARTS]


def _guard_database() -> None:
    name = connection.settings_dict["NAME"]
    if not (name.startswith("test_") or "bench" in name):
        raise RuntimeError(f"Refusing to fill database {name!r} with benchmark data (see tests/bench/dataset.py).")


def _reference_rows() -> tuple[User, list[District]]:
    if District.objects.filter(state__lgd_code=HOME_STATE_CODE).count() < 38:
        call_command("load_lgd", verbosity=0)
    home = State.objects.get(lgd_code=HOME_STATE_CODE)
    districts = list(District.objects.filter(state=home).order_by("lgd_code"))
    user, created = User.objects.get_or_create(
        username=BENCH_USERNAME, defaults={"role": Role.ADMIN, "first_name": "Bench", "last_name": "Loader"}
    )
    if created:
        user.set_unusable_password()
        user.save()
    for district in districts:
        for kind, name in ((Institution.Kind.CWC, "CWC"), (Institution.Kind.CCI, "Children's Home")):
            Institution.objects.get_or_create(
                kind=kind, district=district, name=f"{name} {district.name_en}", defaults={"state": home}
            )
    return user, districts


def ensure_cases(n: int = BENCH_CASES) -> BenchData:
    """Make sure the database holds at least n benchmark cases (with children, rescues, events, transfers)."""
    _guard_database()
    started = time.monotonic()
    user, districts = _reference_rows()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM rescue_case WHERE created_by_id = %s", [user.pk])
        have = cursor.fetchone()[0]
    if have < n:
        _generate(first=have + 1, last=n, user=user)
    return BenchData(cases=max(have, n), user=user, districts=districts, seconds=time.monotonic() - started)


def _generate(*, first: int, last: int, user: User) -> None:
    firsts, surnames = _first_names(), _surnames()
    first_keys = [name_key(name) for name in firsts]
    surname_keys = [name_key(name) for name in surnames]
    home = State.objects.get(lgd_code=HOME_STATE_CODE)
    other_states = list(State.objects.filter(lgd_code__in=OTHER_STATES).values_list("pk", flat=True))
    params = {
        "first": first,
        "last": last,
        "user": user.pk,
        "home": home.pk,
        "others": other_states,
        "firsts": firsts,
        "first_keys": first_keys,
        "surnames": surnames,
        "surname_keys": surname_keys,
        "villages": VILLAGES,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # Audit triggers and foreign-key checks off for this load only (the rows are made consistent below).
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement in _STATEMENTS:
            cursor.execute(statement, params)
        for table in ("rescue_rescueoperation", "rescue_child", "rescue_case", "rescue_caseevent", "rescue_transfer"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    with connection.cursor() as cursor:
        for table in ("rescue_rescueoperation", "rescue_child", "rescue_case", "rescue_caseevent", "rescue_transfer"):
            cursor.execute(f"ANALYZE {table}")


# h(salt): a stable pseudo-random non-negative integer per row, so a rerun makes the same data.
_H = "abs(hashint8(g.i * 1000003 + {salt})::bigint)"

_STATEMENTS = [
    # One row per district of the home state with its code, CWC and CCI, numbered 0..37; its blocks 0..n-1.
    """
    CREATE TEMP TABLE bench_district ON COMMIT DROP AS
    SELECT (row_number() OVER (ORDER BY d.lgd_code, d.id) - 1)::int AS k, d.id, d.short_code,
           (SELECT id FROM orgs_institution WHERE district_id = d.id AND kind = 'cwc' LIMIT 1) AS cwc_id,
           (SELECT id FROM orgs_institution WHERE district_id = d.id AND kind = 'cci' LIMIT 1) AS cci_id,
           nullif((SELECT count(*) FROM geo_block b WHERE b.district_id = d.id), 0)::int AS n_blocks
    FROM geo_district d WHERE d.state_id = %(home)s
    """,
    """
    CREATE TEMP TABLE bench_block ON COMMIT DROP AS
    SELECT district_id, (row_number() OVER (PARTITION BY district_id ORDER BY id) - 1)::int AS j, id
    FROM geo_block WHERE district_id IN (SELECT id FROM bench_district)
    """,
    "CREATE UNIQUE INDEX ON bench_block (district_id, j)",
    # The draws of case i: rescuing district, home district (another one for one case in ten), kind, status...
    # (only the constant _H is formatted into this statement)
    f"""
    CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
    SELECT g.i,
           mod({_H.format(salt=1)}, 38) AS dk,
           CASE WHEN mod({_H.format(salt=2)}, 10) = 0 THEN mod({_H.format(salt=3)}, 38) END AS other_dk,
           CASE WHEN mod({_H.format(salt=4)}, 100) < 6 THEN 'inbound'
                WHEN mod({_H.format(salt=4)}, 100) < 8 THEN 'outbound' ELSE 'none' END AS interstate,
           mod({_H.format(salt=5)}, 100) AS status_draw,
           (DATE '2018-01-01' + mod({_H.format(salt=6)}, CURRENT_DATE - DATE '2018-01-02')::int) AS rescued_on,
           (8 + mod({_H.format(salt=7)}, 10))::int AS age,
           mod({_H.format(salt=8)}, 870) AS first_idx,
           mod({_H.format(salt=9)}, 120) AS surname_idx,
           mod({_H.format(salt=10)}, 870) AS father_idx,
           mod({_H.format(salt=11)}, 8) AS village_idx,
           mod({_H.format(salt=12)}, 50) AS produced_hours,
           {_H.format(salt=13)} AS block_draw,
           mod({_H.format(salt=14)}, 8) AS state_draw
    FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(i)
    """,  # noqa: S608
    # Places: a case rescued in another state (inbound) has no rescuing district and is numbered by its home
    # district; a child of another state (outbound) has no home district.
    """
    CREATE TEMP TABLE bench_rows ON COMMIT DROP AS
    SELECT r.*,
      (r.rescued_on + time '09:00' + mod(r.block_draw, 10) * interval '1 hour') AT TIME ZONE 'Asia/Kolkata'
        AS rescued_at,
      CASE WHEN r.interstate = 'inbound' THEN NULL ELSE d.id END AS district_id,
      CASE WHEN r.interstate = 'inbound' THEN NULL ELSE rb.id END AS block_id,
      CASE WHEN r.interstate = 'outbound' THEN NULL ELSE hd.id END AS home_district_id,
      CASE WHEN r.interstate = 'outbound' THEN NULL WHEN hd.id = d.id THEN rb.id ELSE hb.id END AS home_block_id,
      CASE WHEN r.interstate = 'inbound' THEN hd.short_code ELSE d.short_code END AS code,
      CASE WHEN r.interstate = 'inbound' THEN hd.cwc_id ELSE d.cwc_id END AS cwc_id,
      CASE WHEN r.interstate = 'inbound' THEN hd.cci_id ELSE d.cci_id END AS cci_id,
      CASE WHEN r.interstate = 'inbound' THEN (%(others)s::bigint[])[1 + r.state_draw] ELSE %(home)s END
        AS rescue_state_id,
      CASE WHEN r.interstate = 'outbound' THEN (%(others)s::bigint[])[1 + r.state_draw] ELSE %(home)s END
        AS home_state_id
    FROM bench_draws r
    JOIN bench_district d ON d.k = r.dk
    JOIN bench_district hd ON hd.k = coalesce(r.other_dk, r.dk)
    LEFT JOIN bench_block rb ON rb.district_id = d.id AND rb.j = mod(r.block_draw, d.n_blocks)
    LEFT JOIN bench_block hb ON hb.district_id = hd.id AND hb.j = mod(r.block_draw / 7, hd.n_blocks)
    """,
    "ALTER TABLE bench_rows ADD COLUMN status text",
    # Older cases are further along; the newest are still at the start of the workflow.
    """
    UPDATE bench_rows r SET status = CASE
        WHEN r.interstate = 'outbound' AND r.status_draw < 60 THEN 'transferred_out'
        WHEN r.rescued_on > CURRENT_DATE - 3 THEN (ARRAY['rescued', 'produced'])[1 + mod(r.status_draw, 2)]
        WHEN r.rescued_on > CURRENT_DATE - 60
          THEN (ARRAY['produced', 'in_shelter', 'restored'])[1 + mod(r.status_draw, 3)]
        WHEN r.status_draw < 3 THEN 'in_shelter'
        WHEN r.status_draw < 10 THEN 'restored'
        WHEN r.status_draw < 35 THEN 'rehabilitation'
        WHEN r.status_draw < 65 THEN 'follow_up'
        WHEN r.status_draw < 88 THEN 'closed'
        WHEN r.status_draw < 94 THEN 'retrafficked'
        ELSE 'lost_contact' END
    """,
    "CREATE UNIQUE INDEX ON bench_rows (i)",
    # Rescues (one per case: ids reserved above the current maximum), children, cases.
    """
    CREATE TEMP TABLE bench_base ON COMMIT DROP AS SELECT
      (SELECT coalesce(max(id), 0) FROM rescue_rescueoperation) AS rescue,
      (SELECT coalesce(max(id), 0) FROM rescue_child) AS child,
      (SELECT coalesce(max(id), 0) FROM rescue_case) AS "case",
      (SELECT coalesce(max(id), 0) FROM rescue_caseevent) AS event
    """,
    """
    INSERT INTO rescue_rescueoperation (id, rescued_at, state_id, district_id, block_id, district_text, city, locality,
      establishment_name, industry, employer_name, employer_address, led_by, rescuing_authority, rescuing_cwc,
      reference, fir_number, police_station, sections, created_by_id, created_at)
    SELECT b.rescue + r.i, r.rescued_at, r.rescue_state_id, r.district_id, r.block_id,
      CASE WHEN r.interstate = 'inbound' THEN 'Reported district' ELSE '' END, '', '',
      'Bench establishment ' || r.i, (ARRAY['brick_kiln','hotel_dhaba','domestic','garment','agriculture',
      'construction','shop','factory'])[1 + mod(r.i, 8)], '', '',
      (ARRAY['labour','police','ahtu','ngo','task_force'])[1 + mod(r.i, 5)],
      CASE WHEN r.interstate = 'inbound' THEN 'Anti-Human Trafficking Unit' ELSE '' END,
      CASE WHEN r.interstate = 'inbound' THEN 'CWC of the rescuing district' ELSE '' END, '', '', '',
      ARRAY['CALPRA 3'], %(user)s, r.rescued_at + interval '2 hours'
    FROM bench_rows r, bench_base b
    """,
    """
    INSERT INTO rescue_child (id, name, alias, name_key, sex, date_of_birth, age_years, age_assessment, father_name,
      mother_name, guardian_name, guardian_relation, guardian_key, home_state_id, home_district_id, home_block_id,
      home_village_id, home_village_text, home_address, languages, education_level, disability, photo,
      aadhaar_last4, aadhaar_hash, created_at, updated_at)
    SELECT b.child + r.i,
      (%(firsts)s::text[])[1 + r.first_idx] || ' ' || (%(surnames)s::text[])[1 + r.surname_idx], '',
      (%(first_keys)s::text[])[1 + r.first_idx] || ' ' || (%(surname_keys)s::text[])[1 + r.surname_idx],
      CASE WHEN mod(r.i, 5) = 0 THEN 'f' ELSE 'm' END, NULL, r.age, 'declared',
      (%(firsts)s::text[])[1 + r.father_idx] || ' ' || (%(surnames)s::text[])[1 + r.surname_idx], '', '', '',
      (%(first_keys)s::text[])[1 + r.father_idx] || ' ' || (%(surname_keys)s::text[])[1 + r.surname_idx],
      r.home_state_id, r.home_district_id, r.home_block_id, NULL, (%(villages)s::text[])[1 + r.village_idx], '',
      'Hindi', 'dropped_primary', '', '', '', '', r.rescued_at + interval '2 hours', r.rescued_at + interval '2 hours'
    FROM bench_rows r, bench_base b
    """,
    """
    INSERT INTO rescue_case (id, case_number, child_id, rescue_id, category, age_at_rescue, rescued_on, district_id,
      block_id, home_district_id, home_block_id, interstate, status, status_changed_at, restored_at, hours_per_day,
      wage_per_month, months_employed, hazardous, bonded, bonded_indicators, trafficked, cwc_id, produced_at,
      production_late, late_reason, cci_id, responsible_officer_id, previous_case_id, created_by_id, created_at,
      updated_at)
    SELECT b."case" + r.i,
      'BR-' || r.code || '-' || extract(year FROM r.rescued_on)::int || '-' || lpad(r.i::text, 7, '0'),
      b.child + r.i, b.rescue + r.i, CASE WHEN r.age < 14 THEN 'child' ELSE 'adolescent' END, r.age, r.rescued_on,
      r.district_id, r.block_id, r.home_district_id, r.home_block_id, r.interstate, r.status,
      r.rescued_at + CASE WHEN r.status = 'rescued' THEN interval '0' ELSE interval '20 days' END,
      CASE WHEN r.status IN ('restored','rehabilitation','follow_up','closed','retrafficked','lost_contact')
           THEN r.rescued_at + interval '20 days' END,
      8 + mod(r.i, 6), (3000 + mod(r.i, 40) * 100)::numeric, 1 + mod(r.i, 24), mod(r.i, 3) = 0,
      mod(r.i, 11) = 0, '{}', mod(r.i, 7) = 0,
      CASE WHEN r.status <> 'rescued' THEN r.cwc_id END,
      CASE WHEN r.status <> 'rescued' THEN r.rescued_at + r.produced_hours * interval '1 hour' END,
      r.status <> 'rescued' AND r.produced_hours > 24,
      CASE WHEN r.status <> 'rescued' AND r.produced_hours > 24 THEN 'Journey from the place of rescue' ELSE '' END,
      CASE WHEN r.status = 'in_shelter' THEN r.cci_id END, NULL, NULL, %(user)s,
      r.rescued_at + interval '2 hours', r.rescued_at + interval '20 days'
    FROM bench_rows r, bench_base b
    """,
    # The timeline: registration, production, and the move to the present status.
    """
    INSERT INTO rescue_caseevent (id, case_id, kind, at, actor_id, from_status, to_status, reason, data)
    SELECT b.event + (r.i - %(first)s) * 3 + e.n + 1, b."case" + r.i, e.kind, r.rescued_at + e.after, %(user)s,
           e.from_status, e.to_status, '', '{}'::jsonb
    FROM bench_rows r CROSS JOIN bench_base b
    CROSS JOIN LATERAL (VALUES
        (0, 'registered', interval '2 hours', '', ''),
        (1, 'transition', r.produced_hours * interval '1 hour', 'rescued', 'produced'),
        (2, 'transition', interval '20 days', 'produced', r.status)
    ) AS e(n, kind, after, from_status, to_status)
    WHERE e.n = 0 OR (e.n = 1 AND r.status <> 'rescued') OR (e.n = 2 AND r.status NOT IN ('rescued', 'produced'))
    """,
    # Transfers: to the home district (acknowledged unless recent), repatriation from other states, handover out.
    """
    INSERT INTO rescue_transfer (case_id, kind, stage, from_state_id, from_district_id, to_state_id, to_district_id,
      reason, initiated_by_id, initiated_at, escort_name, escort_designation, escort_phone, travel_mode,
      travel_started_at, arrived_at, handed_over_at, handed_over_to, home_cwc_id, acknowledged_by_id, acknowledged_at,
      completed_at)
    SELECT b."case" + r.i,
      CASE r.interstate WHEN 'inbound' THEN 'repatriation' WHEN 'outbound' THEN 'handover' ELSE 'district' END,
      CASE WHEN r.rescued_on > CURRENT_DATE - 30 THEN 'initiated'
           WHEN r.interstate = 'none' THEN 'acknowledged' ELSE 'handed_over' END,
      r.rescue_state_id, r.district_id, r.home_state_id, r.home_district_id, '', %(user)s,
      r.rescued_at + interval '3 hours', '', '', '', '', NULL, NULL, NULL, '', NULL, NULL, NULL,
      CASE WHEN r.rescued_on <= CURRENT_DATE - 30 THEN r.rescued_at + interval '10 days' END
    FROM bench_rows r CROSS JOIN bench_base b
    WHERE r.interstate <> 'none' OR r.home_district_id <> r.district_id
    """,
]


@pytest.fixture(scope="session")
def bench_cases(django_db_setup, django_db_blocker) -> BenchData:
    """The benchmark data set (made once, kept with --reuse-db); its rows outlive each test's transaction."""
    with django_db_blocker.unblock():
        data = ensure_cases(BENCH_CASES)
    print(f"\nbenchmark data: {data.cases:,} cases ({data.seconds:.0f} s to make or find)")
    return data
