"""A benchmark database: N rescued children's cases (default 1,000,000) across the 38 districts of Bihar.

Rows are made by set-based SQL (INSERT ... SELECT over generate_series), not Python loops, and the data is
reused when present: a second run with the same N does nothing, a larger N adds only the missing cases.

The children are named the way Bihar's registers name them, with the frequencies of the synthetic registry
(tests/synthetic): the same name tables and Zipf laws, so at a million cases tens of thousands of children are
called Rahul Kumar and thousands Mohd Arif or Khushbu Khatun; Hindu and Muslim families, fathers and mothers named
with their surnames (Ramesh Paswan, Sunita Devi, Rabia Khatun), one record in seven in Devanagari, brothers and
sisters rescued together (same parents, village and districts), villages that repeat from block to block and
concentrate within it, and a synthetic Aadhaar for about a third (`bench_aadhaar(i)` gives the i-th case's
number: it starts with 0, which no real one does). Each name is drawn in SQL from a slot table (`bench_dist`: ten
thousand slots per table, a name holding as many slots as its weight), so no Python loop touches a row. The names
are common given names, never persons.

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

import io
import os
import time
from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from clts.accounts.models import User
from clts.accounts.roles import Role
from clts.geo.models import District, State
from clts.matching.names import name_key
from clts.orgs.models import Institution
from tests.synthetic import names
from tests.synthetic.names import Token, zipf_weights
from tests.synthetic.places import bihar, blocks_of, village_names
from tests.synthetic.registry import AGE_WEIGHTS, DISTRIBUTIONS

BENCH_CASES = int(os.environ.get("BENCH_CASES", "1000000"))
BENCH_USERNAME = "bench-loader"
HOME_STATE_CODE = 10  # Bihar's LGD state code (clts/geo/data/states.csv)
OTHER_STATES = [7, 8, 27, 9, 6, 24, 29, 3]  # LGD codes: Delhi, Rajasthan, Maharashtra, UP, Haryana, Gujarat, ...
SLOTS = 10_000  # slots per name table: a name of weight w holds about w * SLOTS of them
VILLAGE_SLOTS = 500  # slots per block's villages
# Single words every table shares, numbered in the "word" table of bench_dist.
WORDS = (names.KUMAR, names.KUMARI, names.DEVI, names.MOHD, names.ABDUL, names.FEMALE_MUSLIM_ENDINGS[0],
         Token("Prasad", "प्रसाद"))  # fmt: skip
KUMAR, KUMARI, DEVI, MOHD, ABDUL, KHATUN, PRASAD = range(len(WORDS))


def bench_aadhaar(i: int) -> str:
    """The synthetic Aadhaar number of the i-th benchmark case's child (when it has one): 0 and eleven digits."""
    return f"0{i:011d}"


@dataclass
class BenchData:
    cases: int
    user: User
    districts: list[District]
    seconds: float


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
    home = State.objects.get(lgd_code=HOME_STATE_CODE)
    other_states = list(State.objects.filter(lgd_code__in=OTHER_STATES).values_list("pk", flat=True))
    params = {
        "first": first,
        "last": last,
        "user": user.pk,
        "home": home.pk,
        "others": other_states,
        "slots": SLOTS,
        "village_slots": VILLAGE_SLOTS,
        "age_by_percent": _age_by_percent(),
        "hash_key": settings.IDENTIFIER_HASH_KEY,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        # Audit triggers and foreign-key checks off for this load only (the rows are made consistent below).
        cursor.execute("SET LOCAL session_replication_role = replica")
        # The Aadhaar hash is clts.core.identifiers' HMAC, computed by the database.
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        _load_slots(cursor)
        for statement in _STATEMENTS:
            cursor.execute(statement, params)
        for table in ("rescue_rescueoperation", "rescue_child", "rescue_case", "rescue_caseevent", "rescue_transfer"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
    with connection.cursor() as cursor:
        for table in ("rescue_rescueoperation", "rescue_child", "rescue_case", "rescue_caseevent", "rescue_transfer"):
            cursor.execute(f"ANALYZE {table}")


def _age_by_percent() -> list[int]:
    """Ages 6..17 over 100 slots in the proportions of the synthetic registry."""
    cumulative = list(accumulate(AGE_WEIGHTS))
    return [6 + bisect_left(cumulative, (slot + 0.5) * cumulative[-1] / 100) for slot in range(100)]


def _slots(table, weights, count: int):
    cumulative = list(accumulate(weights))
    for slot in range(count):
        yield slot, table[bisect_left(cumulative, (slot + 0.5) * cumulative[-1] / count)]


def _load_slots(cursor) -> None:
    """bench_dist(dist, grp, slot, latin, deva, key_latin, key_deva): every name table as slots to draw from.

    dist is a table of tests.synthetic.registry.DISTRIBUTIONS, "word" (WORDS, by number) or "village" (grp: the
    block's LGD code; 0 for the villages of children from other states)."""
    keys: dict[str, str] = {}

    def key(text: str) -> str:
        if text not in keys:
            keys[text] = name_key(text)
        return keys[text]

    def rows():
        for dist, (table, exponent, offset) in DISTRIBUTIONS.items():
            for slot, token in _slots(table, zipf_weights(len(table), exponent, offset), SLOTS):
                yield dist, 0, slot, token
        for number, token in enumerate(WORDS):
            yield "word", 0, number, token
        for district in bihar()[0]:
            for block in blocks_of(district)[0]:
                for slot, token in _slots(block.villages, block.village_weights, VILLAGE_SLOTS):
                    yield "village", block.lgd_code, slot, token
        pool = village_names()
        for slot, token in _slots(pool, zipf_weights(len(pool), 0.6, offset=5), VILLAGE_SLOTS):
            yield "village", 0, slot, token

    buffer = io.StringIO()
    for dist, grp, slot, token in rows():
        buffer.write(f"{dist}\t{grp}\t{slot}\t{token.latin}\t{token.deva}\t{key(token.latin)}\t{key(token.deva)}\n")
    buffer.seek(0)
    cursor.execute(
        "CREATE TEMP TABLE bench_dist (dist text, grp int, slot int, latin text, deva text, key_latin text,"
        " key_deva text) ON COMMIT DROP"
    )
    cursor.copy_expert("COPY bench_dist FROM STDIN", buffer)
    cursor.execute("CREATE UNIQUE INDEX ON bench_dist (dist, grp, slot)")
    cursor.execute("ANALYZE bench_dist")


# h(salt): a stable pseudo-random non-negative integer per row, so a rerun makes the same data; f(salt) the same
# per family (brothers and sisters share the family's draws: districts, date of rescue, parents, village).
_H = "abs(hashint8(g.i * 1000003 + {salt})::bigint)"
_F = "abs(hashint8(g.f * 1000003 + {salt})::bigint)"


def _part(alias: str) -> tuple[str, str]:
    """The text and the matching key of one name part (a bench_dist row joined as `alias`) in the record's script."""
    return (
        f"CASE WHEN p.deva THEN {alias}.deva ELSE {alias}.latin END",
        f"CASE WHEN p.deva THEN {alias}.key_deva ELSE {alias}.key_latin END",
    )


def _joined(*aliases: str) -> tuple[str, str]:
    texts, keys = zip(*(_part(alias) for alias in aliases), strict=True)
    return f"concat_ws(' ', {', '.join(texts)})", f"concat_ws(' ', {', '.join(keys)})"


_CHILD_NAME, _CHILD_KEY = _joined("cp", "cg", "cs")
_FATHER_NAME, _FATHER_KEY = _joined("fp", "fg", "fs")
_MOTHER_NAME, _MOTHER_KEY = _joined("mg", "ms")
_PARTS = ("cp", "cg", "cs", "fp", "fg", "fs", "mg", "ms")
_JOINS = "\n".join(
    f"LEFT JOIN bench_dist {a} ON {a}.dist = p.{a}_dist AND {a}.grp = 0 AND {a}.slot = p.{a}_slot" for a in _PARTS
)

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
    SELECT district_id, (row_number() OVER (PARTITION BY district_id ORDER BY id) - 1)::int AS j, id, lgd_code
    FROM geo_block WHERE district_id IN (SELECT id FROM bench_district)
    """,
    "CREATE UNIQUE INDEX ON bench_block (district_id, j)",
    # The draws of case i. Cases come in families: 13 cases in 100 are a brother or sister of the case before,
    # rescued with them; f is the first case of the family. Rescuing district, home district (another one for one
    # family in ten), date of rescue, the child's names and the parents' (as tests/synthetic/registry.py draws them).
    # (only the constants _H and _F are formatted into this statement)
    f"""
    CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
    WITH s AS (
      SELECT g.i, (g.i = %(first)s OR mod({_H.format(salt=40)}, 100) >= 13) AS starts
      FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g(i)
    )
    SELECT g.i, g.f,
           mod({_F.format(salt=1)}, 38) AS dk,
           CASE WHEN mod({_F.format(salt=2)}, 10) = 0 THEN mod({_F.format(salt=3)}, 38) END AS other_dk,
           CASE WHEN mod({_F.format(salt=4)}, 100) < 6 THEN 'inbound'
                WHEN mod({_F.format(salt=4)}, 100) < 8 THEN 'outbound' ELSE 'none' END AS interstate,
           mod({_H.format(salt=5)}, 100) AS status_draw,
           (DATE '2018-01-01' + mod({_F.format(salt=6)}, CURRENT_DATE - DATE '2018-01-02')::int) AS rescued_on,
           (%(age_by_percent)s::int[])[1 + mod({_H.format(salt=7)}, 100)] AS age,
           mod({_H.format(salt=12)}, 50) AS produced_hours,
           {_F.format(salt=13)} AS block_draw,
           mod({_F.format(salt=14)}, 8) AS state_draw,
           mod({_F.format(salt=20)}, 100) < 17 AS muslim,
           CASE WHEN mod({_H.format(salt=21)}, 100) < 22 THEN 'f' ELSE 'm' END AS sex,
           mod({_H.format(salt=22)}, 100) < 15 AS deva,
           mod({_H.format(salt=23)}, %(slots)s) AS given_slot,
           mod({_H.format(salt=24)}, 100) AS surname_roll,
           mod({_H.format(salt=25)}, 100) AS prefix_roll,
           mod({_H.format(salt=26)}, %(slots)s) AS ending_slot,
           mod({_F.format(salt=27)}, %(slots)s) AS family_surname_slot,
           mod({_F.format(salt=28)}, 100) < 60 AS muslim_family_surname,
           mod({_F.format(salt=29)}, %(slots)s) AS father_slot,
           mod({_F.format(salt=30)}, 100) AS father_prefix_roll,
           mod({_F.format(salt=31)}, 1000) AS father_ending_roll,
           mod({_F.format(salt=32)}, %(slots)s) AS mother_slot,
           mod({_F.format(salt=33)}, 100) AS mother_ending_roll,
           mod({_F.format(salt=34)}, %(slots)s) AS mother_other_slot,
           mod({_F.format(salt=35)}, %(village_slots)s) AS village_slot,
           mod({_H.format(salt=36)}, 100) AS parents_roll,
           mod({_H.format(salt=37)}, 100) AS mother_roll,
           mod({_H.format(salt=38)}, 100) < 35 AS has_aadhaar
    FROM (SELECT i, max(CASE WHEN starts THEN i END) OVER (ORDER BY i) AS f FROM s) AS g
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
      CASE WHEN r.interstate = 'outbound' THEN 0 WHEN hd.id = d.id THEN rb.lgd_code ELSE hb.lgd_code END
        AS home_block_lgd,
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
    # Which row of bench_dist each part of the names comes from (NULL: the part is not written). The child:
    # [Mohd] given [surname]; the father: [Mohd | Abdul] name [surname]; the mother: name Devi | Khatun | ...
    f"""
    CREATE TEMP TABLE bench_parts ON COMMIT DROP AS
    SELECT r.i, r.deva, r.sex, r.muslim, r.home_block_lgd, r.village_slot, r.parents_roll, r.mother_roll,
      r.has_aadhaar,
      CASE WHEN r.muslim AND r.sex = 'm' AND r.prefix_roll < 45 THEN 'word' END AS cp_dist, {MOHD} AS cp_slot,
      CASE WHEN r.sex = 'm' THEN 'boys_' ELSE 'girls_' END || CASE WHEN r.muslim THEN 'muslim' ELSE 'hindu' END
        AS cg_dist, r.given_slot AS cg_slot,
      CASE WHEN NOT r.muslim THEN
             CASE WHEN r.surname_roll < (CASE WHEN r.sex = 'm' THEN 60 ELSE 80 END) THEN 'word'
                  WHEN r.surname_roll < 92 THEN 'surnames_hindu' END
           WHEN r.sex = 'm' THEN CASE WHEN r.muslim_family_surname AND r.surname_roll < 45 THEN 'surnames_muslim' END
           WHEN r.surname_roll < 70 THEN 'word'
           WHEN r.surname_roll < 90 THEN 'other_endings_muslim' END AS cs_dist,
      CASE WHEN NOT r.muslim AND r.surname_roll < (CASE WHEN r.sex = 'm' THEN 60 ELSE 80 END)
             THEN CASE WHEN r.sex = 'm' THEN {KUMAR} ELSE {KUMARI} END
           WHEN r.muslim AND r.sex = 'f' AND r.surname_roll < 70 THEN {KHATUN}
           WHEN r.muslim AND r.sex = 'f' THEN r.ending_slot
           ELSE r.family_surname_slot END AS cs_slot,
      CASE WHEN r.muslim AND r.father_prefix_roll < 48 THEN 'word' END AS fp_dist,
      CASE WHEN r.father_prefix_roll < 35 THEN {MOHD} ELSE {ABDUL} END AS fp_slot,
      CASE WHEN r.muslim THEN 'men_muslim' ELSE 'men_hindu' END AS fg_dist, r.father_slot AS fg_slot,
      CASE WHEN r.muslim THEN CASE WHEN r.muslim_family_surname THEN 'surnames_muslim' END
           WHEN r.father_ending_roll < 850 THEN 'surnames_hindu'
           WHEN r.father_ending_roll < 925 THEN 'word' END AS fs_dist,
      CASE WHEN NOT r.muslim AND r.father_ending_roll >= 850 THEN {PRASAD} ELSE r.family_surname_slot END
        AS fs_slot,
      CASE WHEN r.muslim THEN 'women_muslim' ELSE 'women_hindu' END AS mg_dist, r.mother_slot AS mg_slot,
      CASE WHEN r.muslim AND r.mother_ending_roll >= 80 THEN 'other_endings_muslim'
           WHEN NOT r.muslim AND r.mother_ending_roll >= 90 THEN 'surnames_hindu' ELSE 'word' END AS ms_dist,
      CASE WHEN r.muslim AND r.mother_ending_roll >= 80 THEN r.mother_other_slot
           WHEN r.muslim THEN {KHATUN}
           WHEN r.mother_ending_roll >= 90 THEN r.family_surname_slot ELSE {DEVI} END AS ms_slot
    FROM bench_rows r
    """,  # noqa: S608
    # The names as written: the father for 96 children in 100, the mother for about half and whenever the father
    # is not named; the village of the family's block, drawn from that block's villages.
    f"""
    CREATE TEMP TABLE bench_names ON COMMIT DROP AS
    SELECT p.i, p.sex, p.has_aadhaar,
      {_CHILD_NAME} AS name, {_CHILD_KEY} AS name_key,
      CASE WHEN p.parents_roll >= 4 THEN {_FATHER_NAME} ELSE '' END AS father_name,
      CASE WHEN p.parents_roll < 4 OR p.mother_roll < 55 THEN {_MOTHER_NAME} ELSE '' END AS mother_name,
      concat_ws(' ', CASE WHEN p.parents_roll >= 4 THEN nullif({_FATHER_KEY}, '') END,
                     CASE WHEN p.parents_roll < 4 OR p.mother_roll < 55 THEN nullif({_MOTHER_KEY}, '') END)
        AS guardian_key,
      CASE WHEN p.deva THEN v.deva ELSE v.latin END AS village
    FROM bench_parts p
    {_JOINS}
    LEFT JOIN bench_dist v ON v.dist = 'village' AND v.grp = coalesce(p.home_block_lgd, 0) AND v.slot = p.village_slot
    """,  # noqa: S608
    "CREATE UNIQUE INDEX ON bench_names (i)",
    """
    INSERT INTO rescue_child (id, name, alias, name_key, sex, date_of_birth, age_years, age_assessment, father_name,
      mother_name, guardian_name, guardian_relation, guardian_key, home_state_id, home_district_id, home_block_id,
      home_village_id, home_village_text, home_address, languages, education_level, disability, photo,
      aadhaar_last4, aadhaar_hash, created_at, updated_at)
    SELECT b.child + r.i, n.name, '', n.name_key, n.sex, NULL, r.age, 'declared', n.father_name, n.mother_name, '',
      '', n.guardian_key, r.home_state_id, r.home_district_id, r.home_block_id, NULL, coalesce(n.village, ''), '',
      'Hindi', 'dropped_primary', '', '',
      CASE WHEN n.has_aadhaar THEN right(lpad(r.i::text, 11, '0'), 4) ELSE '' END,
      CASE WHEN n.has_aadhaar
           THEN encode(hmac('0' || lpad(r.i::text, 11, '0'), %(hash_key)s, 'sha256'), 'hex') ELSE '' END,
      r.rescued_at + interval '2 hours', r.rescued_at + interval '2 hours'
    FROM bench_rows r JOIN bench_names n ON n.i = r.i, bench_base b
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
