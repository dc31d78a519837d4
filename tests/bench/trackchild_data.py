"""The benchmark's missing reports, found children and CCI residents, described the way officers describe them.

Every record is a benchmark child (tests/bench/dataset.py: names with Bihar's frequencies, fathers and mothers,
villages, ages, one record in seven in Devanagari) described by someone, with a seeded random draw:

- residents (children 1..T of the benchmark) and found children (T+1..2T): the child as a CCI or the police who
  found the child write it down, in the district where the child was found (another district than home for 60 in
  100: children found far from home);
- missing reports: children 2, 4, ..., 2T described by their families at a police station of their home district
  (T reports whose child is among the residents and found children: the true pairs), and T reports of other
  children (2T+1..3T), one in ten of them a namesake of a resident or found child (the same name and sex, about
  the same age, another family).

Between a family's report and the found child's or resident's record of the same child, the variations officers
produce, each on its own draw (tests/synthetic/variations.py names them): the child's name spelt otherwise (30 in
100, tests/synthetic/spelling.py), written in the other script (15), the surname dropped (25 on the found side,
35 on the family's side: the name the child is called at home), the age a year off (35), the father's name spelt
otherwise (20), the mother named instead (15) or no parent at all (30: a child found alone); height measured
again (a few cm off), identifying marks noted in part or not at all, languages as heard.

Each record carries its child in `trackchild_id` ("bench-<child id>"): a missing report and a found child or
resident with the same one are a true pair (`true_pairs`, `raised_true` count them).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction

from tests.synthetic import names as n
from tests.synthetic.names import DEVA, LATN
from tests.synthetic.registry import DISTRIBUTIONS
from tests.synthetic.spelling import vary_name

MARK_KINDS = ("mole", "scar", "burn mark", "birthmark", "cut mark", "tattoo", "wart", "black spot")
MARK_PLACES = (
    "chin", "left hand", "right hand", "forehead", "neck", "left ear", "right knee", "left cheek", "back",
    "right eyebrow", "left foot", "upper lip",
)  # fmt: skip
LANGUAGES = ("Hindi, Magahi", "Hindi, Bhojpuri", "Maithili", "Hindi", "Hindi, Angika", "Hindi, Bajjika")
LAST_SEEN = ("haat", "school", "bus stop", "mela", "chowk", "river ghat")
FOUND_AT = ("railway station", "bus stand", "junction", "market", "temple", "dhaba")
NAMESAKE_SHARE = 10  # in 100 reports of other children


@dataclass
class Child:
    id: int
    n: int
    name: str
    sex: str
    age: int
    father: str
    mother: str
    village: str
    home: int  # district id


_CHILDREN = """
    SELECT c.id, row_number() OVER (ORDER BY c.id) AS n, c.name, c.sex, ca.age_at_rescue, c.father_name,
           c.mother_name, c.home_village_text, coalesce(c.home_district_id, ca.district_id)
    FROM rescue_child c JOIN rescue_case ca ON ca.child_id = c.id AND ca.created_by_id = %s
    WHERE c.sex IN ('m', 'f') AND coalesce(c.home_district_id, ca.district_id) IS NOT NULL
      AND ca.age_at_rescue BETWEEN 5 AND 17
    ORDER BY c.id LIMIT %s
"""


def _other_script() -> dict[str, str]:
    """Each word of the synthetic name tables in the other script (Rahul <-> राहुल)."""
    tokens = [token for table, _e, _o in DISTRIBUTIONS.values() for token in table]
    tokens += [n.KUMAR, n.KUMARI, n.DEVI, n.MOHD, n.ABDUL, *n.FEMALE_MUSLIM_ENDINGS]
    other: dict[str, str] = {}
    for token in tokens:
        latin, deva = token.latin.split(), token.deva.split()
        if len(latin) == len(deva):
            for one, two in zip(latin, deva, strict=True):
                other.setdefault(one, two)
                other.setdefault(two, one)
    return other


def _script(text: str) -> str:
    return DEVA if any("\u0900" <= char <= "\u097f" for char in text) else LATN


class Describer:
    """The draws of one benchmark build (seeded)."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.other = _other_script()

    def chance(self, percent: int) -> bool:
        return self.rng.random() * 100 < percent

    def marks(self, child: Child) -> list[str]:
        """The child's own marks (one or two, fixed per child)."""
        pick = random.Random(child.id)
        return [f"{pick.choice(MARK_KINDS)} on the {pick.choice(MARK_PLACES)}" for _ in range(1 + child.id % 2)]

    def languages(self, child: Child) -> str:
        return LANGUAGES[child.home % len(LANGUAGES)]

    def height(self, age: int) -> int:
        return 70 + 6 * age + self.rng.randint(-4, 4)

    def dropped(self, name: str) -> str:
        words = name.split()
        return " ".join(words[:-1]) if len(words) > 1 else name

    def in_script(self, text: str, script: str) -> str:
        if not text or _script(text) == script:
            return text
        return " ".join(self.other.get(word, word) for word in text.split())

    # --- the family's report ------------------------------------------------------------------------------------

    def report(self, child: Child, last_seen: date, *, as_name: str | None = None, sex: str | None = None,
               age: int | None = None) -> dict:  # fmt: skip
        name = as_name if as_name is not None else child.name
        if self.chance(35):
            name = self.dropped(name)
        guardian = child.father if child.father and self.chance(90) else child.mother
        return {
            "name": name,
            "sex": sex or child.sex,
            "age_years": age if age is not None else child.age,
            "height_cm": self.height(age if age is not None else child.age) if self.chance(80) else None,
            "identifying_marks": ", ".join(self.marks(child)) if self.chance(70) else "",
            "languages": self.languages(child) if self.chance(60) else "",
            "guardian_name": guardian,
            "last_seen_on": last_seen,
            "last_seen_place": f"{child.village} {self.rng.choice(LAST_SEEN)}".strip(),
        }

    # --- the same child found, or in a CCI -----------------------------------------------------------------------

    def found(self, child: Child, found_on: date) -> dict:
        script = _script(child.name)
        name = child.name
        if self.chance(25):
            name = self.dropped(name)
        if self.chance(30):
            name = vary_name(name, script, self.rng, words=1 if self.chance(70) else 2)
        roll = self.rng.random() * 100
        if roll < 30:
            guardian = ""
        elif roll < 45 and child.mother:
            guardian = child.mother
        else:
            guardian = child.father or child.mother
            if guardian and self.chance(20):
                guardian = vary_name(guardian, script, self.rng)
        if self.chance(15):
            other = DEVA if script == LATN else LATN
            name, guardian = self.in_script(name, other), self.in_script(guardian, other)
        age = child.age
        if self.chance(35):
            age = min(17, max(5, age + self.rng.choice((-1, 1))))
        marks = self.marks(child)
        roll = self.rng.random() * 100
        noted = ", ".join(marks) if roll < 35 else marks[0] if roll < 60 else ""
        return {
            "name": name,
            "sex": child.sex,
            "age_years": age,
            "height_cm": self.height(child.age) if self.chance(90) else None,
            "identifying_marks": noted,
            "languages": self.languages(child) if self.chance(70) else "",
            "guardian_name": guardian,
        }


def _children(user_id: int, count: int) -> list[Child]:
    with connection.cursor() as cursor:
        cursor.execute(_CHILDREN, [user_id, count])
        return [Child(*row) for row in cursor.fetchall()]


def _institutions(kind: str) -> dict[int, list[int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT district_id, id FROM orgs_institution WHERE kind = %s AND name LIKE 'Bench %%' ORDER BY id"
            if kind != "cwc"
            else "SELECT district_id, id FROM orgs_institution WHERE kind = %s ORDER BY id",
            [kind],
        )
        found: dict[int, list[int]] = {}
        for district, pk in cursor.fetchall():
            found.setdefault(district, []).append(pk)
    return found


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    def cell(value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        if isinstance(value, date):
            return value.isoformat()
        return str(value).translate(_ESCAPES)

    text = "".join("\t".join(cell(value) for value in row) + "\n" for row in rows)
    cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", io.StringIO(text))


_DESCRIPTION = ("name", "sex", "age_years", "height_cm", "complexion", "identifying_marks", "languages",
                "guardian_name", "trackchild_id")  # fmt: skip


_RESIDENT = ("institution_id", "cwc_id", "order_number", "ordered_on", "exception_order", "admitted_on",
             "leaving_reason", "leaving_notes", "recorded_by_id", "recorded_at", "updated_at")  # fmt: skip
_FOUND = ("found_by", "found_on", "found_place", "district_id", "placed_note", "matched", "recorded_by_id",
          "recorded_at", "updated_at")  # fmt: skip
_REPORT = ("station_id", "district_id", "fir_kind", "fir_number", "reported_on", "last_seen_on", "last_seen_place",
           "guardian_phone", "status", "recorded_by_id", "recorded_at", "updated_at")  # fmt: skip


def _description(described: dict, child: Child) -> tuple:
    return (
        described["name"], described["sex"], described["age_years"], described["height_cm"], "",
        described["identifying_marks"], described["languages"], described["guardian_name"], f"bench-{child.id}",
    )  # fmt: skip


def build(*, user_id: int, missing: int, seed: int = 13, today: date | None = None) -> dict:
    """Write the residents, found children and missing reports (the tables emptied first); returns their counts."""
    today = today or date.today()
    targets = missing // 2
    draw = Describer(seed, today)
    children = _children(user_id, 3 * targets)
    if len(children) < 3 * targets:
        raise RuntimeError(f"{len(children)} benchmark children, {3 * targets} needed (BENCH_TC_MISSING)")
    districts = sorted({child.home for child in children})
    homes, stations, cwcs = _institutions("cci"), _institutions("police"), _institutions("cwc")
    residents, found, reports = [], [], []
    seen: dict[int, date] = {}  # child id -> last seen (the true pairs' reports)
    for child in children[: 2 * targets]:
        if child.n % 2 == 0:
            seen[child.id] = today - timedelta(days=draw.rng.randint(30, 700))
    for child in children[: 2 * targets]:
        last_seen = seen.get(child.id, today - timedelta(days=draw.rng.randint(30, 700)))
        on = min(today, last_seen + timedelta(days=draw.rng.randint(1, 200)))
        where = child.home if draw.chance(40) else draw.rng.choice(districts)
        described = _description(draw.found(child, on), child)
        if child.n <= targets:
            home = draw.rng.choice(homes[where])
            admitted = min(today, on + timedelta(days=draw.rng.randint(0, 10)))
            residents.append(
                (
                    *described,
                    home,
                    cwcs[where][0],
                    f"B/{child.id}",
                    admitted,
                    "",
                    admitted,
                    "",
                    "",
                    user_id,
                    admitted,
                    today,
                )  # fmt: skip
            )
        else:
            found.append(
                (
                    *described,
                    draw.rng.choice(("Railway police", "Childline", "Police", "DCPU")),
                    on,
                    f"{draw.rng.choice(FOUND_AT)}",
                    where,
                    "",
                    False,
                    user_id,
                    on,
                    today,
                )  # fmt: skip
            )
    namesakes = 0
    for child in children:
        if child.n <= 2 * targets and child.n % 2:
            continue
        last_seen = seen.get(child.id) or today - timedelta(days=draw.rng.randint(30, 700))
        if child.n > 2 * targets and draw.chance(NAMESAKE_SHARE):
            like = children[draw.rng.randrange(2 * targets)]
            age = min(17, max(5, like.age + draw.rng.randint(-2, 2)))
            described = draw.report(child, last_seen, as_name=like.name, sex=like.sex, age=age)
            namesakes += 1
        else:
            described = draw.report(child, last_seen)
        station = draw.rng.choice(stations[child.home])
        reports.append(
            (
                *_description(described, child),
                station,
                child.home,
                "fir",
                f"{child.id}/bench",
                last_seen + timedelta(days=1),
                described["last_seen_on"],
                described["last_seen_place"],
                "",
                "open",
                user_id,
                last_seen + timedelta(days=1),
                today,
            )  # fmt: skip
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no audit rows for benchmark data
        cursor.execute(
            "TRUNCATE trackchild_sync_matchpair, trackchild_sync_matchkey, trackchild_sync_missingreport, "
            "trackchild_sync_foundchild, trackchild_sync_registerevent, trackchild_sync_residence CASCADE"
        )
        _copy(cursor, "trackchild_sync_residence", (*_DESCRIPTION, *_RESIDENT), residents)
        _copy(cursor, "trackchild_sync_foundchild", (*_DESCRIPTION, *_FOUND), found)
        _copy(cursor, "trackchild_sync_missingreport", (*_DESCRIPTION, *_REPORT), reports)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE trackchild_sync_residence, trackchild_sync_foundchild, trackchild_sync_missingreport")
    return {"residents": len(residents), "found": len(found), "reports": len(reports), "namesakes": namesakes,
            "true_pairs": true_pairs()}  # fmt: skip


def built(missing: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM trackchild_sync_missingreport WHERE trackchild_id LIKE 'bench-%%'")
        return cursor.fetchone()[0] >= missing


def true_pairs() -> int:
    """Reports whose child is among the residents and found children."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM trackchild_sync_missingreport m
            WHERE m.trackchild_id LIKE 'bench-%%' AND (
                EXISTS (SELECT 1 FROM trackchild_sync_foundchild f WHERE f.trackchild_id = m.trackchild_id)
                OR EXISTS (SELECT 1 FROM trackchild_sync_residence r WHERE r.trackchild_id = m.trackchild_id))
            """
        )
        return cursor.fetchone()[0]


def raised_true() -> tuple[int, int]:
    """(true pairs raised, of them strong)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*), count(*) FILTER (WHERE p.strength = 'strong')
            FROM trackchild_sync_matchpair p
            JOIN trackchild_sync_missingreport m ON m.id = p.missing_id
            LEFT JOIN trackchild_sync_foundchild f ON f.id = p.found_id
            LEFT JOIN trackchild_sync_residence r ON r.id = p.residence_id
            WHERE m.trackchild_id = coalesce(f.trackchild_id, r.trackchild_id)
            """
        )
        return cursor.fetchone()
