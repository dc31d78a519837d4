"""The synthetic registry: seeded, deterministic records of rescued children of Bihar with realistic names.

Each child belongs to a family (father, mother, surname, village), so brothers and sisters share parents and a
village as they do in a real register, and each child has a true birth date from which every record's age follows.
A `ChildRecord` is what one registration wrote down; `person` and `family` are the labels an engine never sees.

Layout of a `ChildRecord` (plain values, ready for the database or an engine):
    id                  the record's number in the registry (1..n); 0 for a record being matched
    person, family      the true child and household (labels for measuring, not for matching)
    name                the child's name as written ("Rahul Kumar", "मो० आरिफ", "Kumar Rahul")
    sex                 "m" or "f"
    father_name, mother_name, guardian_name, guardian_relation   "" when not given
    age_years           age in years at this rescue, as declared
    date_of_birth       a date for about one record in four (a school or birth certificate), else None
    rescued_on          the date of this rescue
    home_district_lgd, home_district       LGD code and English name (clts/geo/data)
    home_block_lgd, home_block             LGD code and English name; None and "" when not recorded
    home_village_text   the village as written
    aadhaar             "" or a synthetic 12-digit number starting with 0 (UIDAI issues none starting with 0 or 1,
                        so it can never be a real person's)
    script              "latn" or "deva": the script the names are written in
Sizes: 100,000 records take a few seconds; the set-based benchmark data (tests/bench/dataset.py) uses the same
tables from SQL for a million.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import accumulate

from tests.synthetic import names as n
from tests.synthetic.names import DEVA, LATN, Token
from tests.synthetic.places import Block, District, bihar, blocks_of

FIRST_RESCUE = date(2018, 1, 1)
LAST_RESCUE = date(2026, 10, 31)
MUSLIM_SHARE = 0.17  # about a sixth of Bihar's people (Census 2011: 16.9%)
GIRL_SHARE = 0.22
DEVANAGARI_SHARE = 0.15
AADHAAR_SHARE = 0.35
DATE_OF_BIRTH_SHARE = 0.25
# Age at a first rescue, 6..17: most rescued child labourers are young adolescents.
AGE_WEIGHTS = (1, 1, 2, 3, 4, 6, 8, 10, 12, 12, 10, 8)
RESCUED_CHILDREN_PER_FAMILY = ((1, 0.85), (2, 0.12), (3, 0.03))


@dataclass(frozen=True)
class ChildRecord:
    id: int
    person: int
    family: int
    name: str
    sex: str
    father_name: str
    mother_name: str
    guardian_name: str
    guardian_relation: str
    age_years: int
    date_of_birth: date | None
    rescued_on: date
    home_district_lgd: int
    home_district: str
    home_block_lgd: int | None
    home_block: str
    home_village_text: str
    aadhaar: str
    script: str


@dataclass
class Family:
    id: int
    muslim: bool
    district: District
    block: Block
    village: Token
    father: tuple[Token, ...]
    mother: tuple[Token, ...]
    surname: Token | None  # the family's caste or community surname, when it has one
    guardian: tuple[Token, ...] = ()
    guardian_relation: str = ""
    children: list[Person] = field(default_factory=list)


@dataclass
class Person:
    """The truth about one child; every record of the child is written from it."""

    id: int
    family: Family
    sex: str
    given: tuple[Token, ...]  # "Mohd Arif", "Ram Babu", "Sonu"
    surname: Token | None  # the surname the child is usually written with (Kumar, Kumari, Paswan, Khatun ...)
    born: date
    aadhaar: str
    father_known: bool  # whether the father is usually recorded (an orphan's record names a guardian)
    mother_known: bool


@dataclass
class Registry:
    seed: int
    records: list[ChildRecord]
    people: dict[int, Person]

    def records_of(self, person: int) -> list[ChildRecord]:
        return [record for record in self.records if record.person == person]


# Each table with the exponent and offset of its Zipf law (shared with the SQL of tests/bench/dataset.py): children's
# names fall steeply (a few names are given to very many), parents' a little less.
DISTRIBUTIONS: dict[str, tuple[tuple[Token, ...], float, float]] = {
    "boys_hindu": (n.BOYS_HINDU, 1.0, 1.6),
    "girls_hindu": (n.GIRLS_HINDU, 1.0, 1.6),
    "boys_muslim": (n.BOYS_MUSLIM, 1.0, 1.6),
    "girls_muslim": (n.GIRLS_MUSLIM, 1.0, 1.6),
    "surnames_hindu": (n.SURNAMES_HINDU, 0.9, 1.5),
    "surnames_muslim": (n.SURNAMES_MUSLIM, 1.0, 1.5),
    "men_hindu": (n.MEN_HINDU, 0.8, 1.5),
    "women_hindu": (n.WOMEN_HINDU, 0.8, 1.5),
    "men_muslim": (n.MEN_MUSLIM, 0.8, 1.5),
    "women_muslim": (n.WOMEN_MUSLIM, 0.8, 1.5),
    "other_endings_muslim": (n.FEMALE_MUSLIM_ENDINGS[1:4], 1.0, 1.5),  # Parveen, Begum, Bano (after Khatun)
}


def given_names(sex: str, muslim: bool) -> str:
    return f"{'boys' if sex == 'm' else 'girls'}_{'muslim' if muslim else 'hindu'}"


class _Draw:
    """Weighted draws from the name tables, with cumulative weights computed once."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._cum: dict = {}

    def pick(self, distribution: str) -> Token:
        """A name from one of DISTRIBUTIONS, as often as its rank says."""
        if distribution not in self._cum:
            table, exponent, offset = DISTRIBUTIONS[distribution]
            self._cum[distribution] = (table, list(accumulate(n.zipf_weights(len(table), exponent, offset))))
        table, cum_weights = self._cum[distribution]
        return self.rng.choices(table, cum_weights=cum_weights)[0]

    def choose(self, items: tuple, weights: tuple[float, ...]):
        key = id(weights)
        if key not in self._cum:
            self._cum[key] = (weights, list(accumulate(weights)))  # the weights kept alive with their sums
        return self.rng.choices(items, cum_weights=self._cum[key][1])[0]


def _father(draw: _Draw, muslim: bool, surname: Token | None) -> tuple[Token, ...]:
    rng = draw.rng
    if muslim:
        prefix = (n.MOHD,) if rng.random() < 0.35 else (n.ABDUL,) if rng.random() < 0.2 else ()
        return (*prefix, draw.pick("men_muslim"), *((surname,) if surname else ()))
    first = draw.pick("men_hindu")
    ending = surname if rng.random() < 0.85 else n.token_by_latin()["Prasad"] if rng.random() < 0.5 else None
    return (first, *((ending,) if ending else ()))


def _mother(draw: _Draw, muslim: bool, surname: Token | None) -> tuple[Token, ...]:
    rng = draw.rng
    if muslim:
        ending = n.FEMALE_MUSLIM_ENDINGS[0] if rng.random() < 0.8 else draw.pick("other_endings_muslim")
        return (draw.pick("women_muslim"), ending)
    ending = n.DEVI if rng.random() < 0.9 or surname is None else surname
    return (draw.pick("women_hindu"), ending)


def _child_name(draw: _Draw, family: Family, sex: str, taken: set[str]) -> tuple[tuple[Token, ...], Token | None]:
    rng = draw.rng
    given = draw.pick(given_names(sex, family.muslim))
    while given.latin in taken:  # brothers and sisters are not given one name
        given = draw.pick(given_names(sex, family.muslim))
    roll = rng.random()
    if family.muslim and sex == "m":
        prefix = (n.MOHD,) if rng.random() < 0.45 else ()
        surname = family.surname if family.surname and roll < 0.45 else None
        return (*prefix, given), surname
    if family.muslim:
        if roll < 0.7:
            return (given,), n.FEMALE_MUSLIM_ENDINGS[0]
        return (given,), (draw.pick("other_endings_muslim") if roll < 0.9 else None)
    if sex == "m":
        surname = n.KUMAR if roll < 0.6 else family.surname if roll < 0.92 else None
    else:
        surname = n.KUMARI if roll < 0.8 else family.surname if roll < 0.92 else None
    return (given,), surname


def _family_surname(draw: _Draw, muslim: bool) -> Token | None:
    """Every Hindu family has a caste surname; four Muslim families in ten write none."""
    if not muslim:
        return draw.pick("surnames_hindu")
    return draw.pick("surnames_muslim") if draw.rng.random() < 0.6 else None


def _family(draw: _Draw, family_id: int, seed: int) -> Family:
    rng = draw.rng
    districts, district_weights = bihar(seed)
    muslim = rng.random() < MUSLIM_SHARE
    district = draw.choose(districts, district_weights)
    blocks, block_weights = blocks_of(district, seed)
    block = draw.choose(blocks, block_weights)
    village = draw.choose(block.villages, block.village_weights)
    surname = _family_surname(draw, muslim)
    family = Family(
        id=family_id,
        muslim=muslim,
        district=district,
        block=block,
        village=village,
        father=_father(draw, muslim, surname),
        mother=_mother(draw, muslim, surname),
        surname=surname,
    )
    if rng.random() < 0.06:  # an orphan or a child living with a relative: a guardian is recorded
        family.guardian = _father(draw, muslim, surname)
        family.guardian_relation = rng.choice(("uncle", "grandfather", "elder brother", "uncle"))
    return family


def _born(rescued_on: date, age: int, rng: random.Random) -> date:
    """A birth date that makes the child `age` in completed years on the day of the rescue."""
    anniversary = rescued_on - timedelta(days=rng.randrange(365))
    if (anniversary.month, anniversary.day) == (2, 29):
        anniversary -= timedelta(days=1)
    return anniversary.replace(year=anniversary.year - age)


def _synthetic_aadhaar(rng: random.Random) -> str:
    return f"0{rng.randrange(10**11):011d}"


def full_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def render(tokens, script: str) -> str:
    return " ".join(token.in_script(script) if isinstance(token, Token) else token for token in tokens)


def first_record(person: Person, record_id: int, rescued_on: date, script: str, rng: random.Random) -> ChildRecord:
    """The child's registration as an officer writes it when nothing goes wrong."""
    family = person.family
    name = (*person.given, *((person.surname,) if person.surname else ()))
    return ChildRecord(
        id=record_id,
        person=person.id,
        family=family.id,
        name=render(name, script),
        sex=person.sex,
        father_name=render(family.father, script) if person.father_known else "",
        mother_name=render(family.mother, script) if person.mother_known else "",
        guardian_name=render(family.guardian, script),
        guardian_relation=family.guardian_relation,
        age_years=full_years(person.born, rescued_on),
        date_of_birth=person.born if rng.random() < DATE_OF_BIRTH_SHARE else None,
        rescued_on=rescued_on,
        home_district_lgd=family.district.lgd_code,
        home_district=family.district.name,
        home_block_lgd=family.block.lgd_code,
        home_block=family.block.name,
        home_village_text=family.village.in_script(script),
        aadhaar=person.aadhaar,
        script=script,
    )


def _rescue_date(rng: random.Random) -> date:
    return FIRST_RESCUE + timedelta(days=rng.randrange((LAST_RESCUE - FIRST_RESCUE).days))


def generate_registry(children: int, seed: int = 12, duplicates: float = 0.0) -> Registry:
    """`children` records of distinct children (plus, with `duplicates`, that share of children registered a second
    time, unlinked, with the variations officers produce: what the nightly duplicate pass must find)."""
    rng = random.Random(seed)
    draw = _Draw(rng)
    people: dict[int, Person] = {}
    records: list[ChildRecord] = []
    sizes, size_weights = zip(*RESCUED_CHILDREN_PER_FAMILY, strict=True)
    ages = tuple(range(6, 18))
    family_id = 0
    while len(records) < children:
        family_id += 1
        family = _family(draw, family_id, seed)
        together = _rescue_date(rng)
        taken: set[str] = set()
        for _ in range(draw.choose(sizes, size_weights)):
            if len(records) >= children:
                break
            sex = "f" if rng.random() < GIRL_SHARE else "m"
            given, surname = _child_name(draw, family, sex, taken)
            taken.add(given[-1].latin)
            rescued_on = together if rng.random() < 0.7 else _rescue_date(rng)
            age = draw.choose(ages, AGE_WEIGHTS)
            born = _born(rescued_on, age, rng)
            father_known = not family.guardian and rng.random() < 0.96
            person = Person(
                id=len(people) + 1,
                family=family,
                sex=sex,
                given=given,
                surname=surname,
                born=born,
                aadhaar=_synthetic_aadhaar(rng) if rng.random() < AADHAAR_SHARE else "",
                father_known=father_known,
                mother_known=not father_known or rng.random() < 0.55,
            )
            family.children.append(person)
            people[person.id] = person
            script = DEVA if rng.random() < DEVANAGARI_SHARE else LATN
            records.append(first_record(person, len(records) + 1, rescued_on, script, rng))
    if duplicates:
        from tests.synthetic.variations import applies, reregister, some_kinds

        first_of = {record.person: record for record in records}
        wanted = round(duplicates * len(people))
        for person_id in rng.sample(sorted(people), len(people)):
            if wanted == 0:
                break
            person, earlier = people[person_id], first_of[person_id]
            kinds = [kind for kind in some_kinds(rng) if applies(kind, person, earlier)]
            record = reregister(person, earlier, kinds, rng)
            if record is not None:  # None: the child would be grown up by the later rescue
                records.append(replace(record, id=len(records) + 1))
                wanted -= 1
    return Registry(seed=seed, records=records, people=people)
