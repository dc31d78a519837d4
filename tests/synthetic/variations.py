"""What changes between two registrations of one child, and the new children an engine must not take for old ones.

Kinds of variation (each can come alone or with others; `reregister` applies any set of them):
    spelling          a word of the child's name spelt otherwise (Sonu / Sunu, Kumari / Kumri); half the time a
                      word of the parent's name too
    script            written in the other script (Latin <-> Devanagari)
    surname_moved     the surname written first ("Kumar Rahul")
    surname_replaced  Kumar / Kumari exchanged with the family's surname ("Aman Manjhi" for "Aman Kumar"), Khatun
                      with Parveen, or a surname added where there was none ("Mohd Arif Ansari" for "Mohd Arif")
    surname_dropped   the surname (or the "Mohd" before a name) left out ("Bhola" for "Bhola Kumar")
    mother_for_father only the mother named where the father was recorded
    no_parent         no parent or guardian named
    age_off           the declared age off by one or two years
    village_spelling  the village spelt otherwise (Rampur / Raampur)
    later_rescue      rescued three to six years later (otherwise two months to two years later)
A re-registration always comes later than the earlier one, from an officer of another district more often than not,
and the age follows the child's true birth date unless age_off.

Confusable new children (truth: nobody in the registry):
    namesake          a child of another family with the same name and sex, of about the same age, often from the
                      same district, sometimes from the same village
    sibling           a brother or sister: same father, mother and village, another given name (often a rhyming one:
                      Sonu / Monu), a few years apart
    other_sex         the same given name of the other sex (Sonu Kumar / Sonu Kumari), often from the same village
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from tests.synthetic import names as n
from tests.synthetic.names import DEVA, LATN, Token
from tests.synthetic.registry import (
    DATE_OF_BIRTH_SHARE,
    ChildRecord,
    Family,
    Person,
    first_record,
    full_years,
    render,
)
from tests.synthetic.spelling import vary_name

SPELLING = "spelling"
SCRIPT = "script"
SURNAME_MOVED = "surname_moved"
SURNAME_REPLACED = "surname_replaced"
SURNAME_DROPPED = "surname_dropped"
MOTHER_FOR_FATHER = "mother_for_father"
NO_PARENT = "no_parent"
AGE_OFF = "age_off"
VILLAGE_SPELLING = "village_spelling"
LATER_RESCUE = "later_rescue"
KINDS = (
    SPELLING, SCRIPT, SURNAME_MOVED, SURNAME_REPLACED, SURNAME_DROPPED, MOTHER_FOR_FATHER, NO_PARENT, AGE_OFF,
    VILLAGE_SPELLING, LATER_RESCUE,
)  # fmt: skip
# Kinds that cannot come together (one surname change at a time; one account of the parents).
EXCLUSIVE = (
    frozenset({SURNAME_MOVED, SURNAME_REPLACED, SURNAME_DROPPED}),
    frozenset({MOTHER_FOR_FATHER, NO_PARENT}),
)

NAMESAKE = "namesake"
SIBLING = "sibling"
OTHER_SEX = "other_sex"
CONFUSABLE_KINDS = (NAMESAKE, SIBLING, OTHER_SEX)

TODAY = date(2026, 11, 30)  # the last day a re-registration may carry (the registry's rescues end a month before)


def some_kinds(rng: random.Random, most: int = 3) -> tuple[str, ...]:
    """One to `most` compatible kinds at random."""
    kinds: list[str] = []
    for kind in rng.sample(KINDS, len(KINDS)):
        if len(kinds) >= rng.randint(1, most):
            break
        if not any(kind in group and group & set(kinds) for group in EXCLUSIVE):
            kinds.append(kind)
    return tuple(sorted(kinds))


def applies(kind: str, person: Person, earlier: ChildRecord) -> bool:
    """Whether a kind of variation can happen to this child's record at all."""
    if kind == SURNAME_MOVED:
        return len(_name_tokens(person)) >= 2
    if kind == SURNAME_REPLACED and person.family.muslim and person.sex == "m":
        # A Muslim boy's record gains the family's surname where it had none; officers invent no other.
        return person.family.surname is not None and person.surname is None
    if kind == SURNAME_DROPPED:
        return person.surname is not None or person.given[0] == n.MOHD
    if kind == MOTHER_FOR_FATHER:
        return bool(earlier.father_name)
    if kind == NO_PARENT:
        return bool(earlier.father_name or earlier.mother_name or earlier.guardian_name)
    return True


def _name_tokens(person: Person) -> tuple[Token, ...]:
    return (*person.given, *((person.surname,) if person.surname else ()))


def _replaced_surname(person: Person, rng: random.Random) -> Token:
    family = person.family
    if person.sex == "m" and person.surname == n.KUMAR and family.surname:
        return family.surname
    if person.sex == "f" and person.surname == n.KUMARI and family.surname:
        return family.surname
    if family.muslim and person.sex == "f":
        return rng.choice([token for token in n.FEMALE_MUSLIM_ENDINGS if token != person.surname])
    if family.muslim:
        return family.surname
    return n.KUMAR if person.sex == "m" else n.KUMARI


def _rescue_gap(kinds, rng: random.Random) -> int:
    if LATER_RESCUE in kinds:
        return rng.randint(3 * 365, 6 * 365)
    return rng.randint(60, 730)


def reregister(person: Person, earlier: ChildRecord, kinds, rng: random.Random) -> ChildRecord | None:
    """The same child registered again later, with these kinds of variation (None if the child would no longer be
    a child at the later rescue, or the later rescue would fall after TODAY)."""
    kinds = set(kinds)
    rescued_on = earlier.rescued_on + timedelta(days=_rescue_gap(kinds, rng))
    true_age = full_years(person.born, rescued_on)
    if rescued_on > TODAY or true_age > 17:
        return None
    family = person.family
    script = (DEVA if earlier.script == LATN else LATN) if SCRIPT in kinds else earlier.script

    name = list(_name_tokens(person))
    if SURNAME_MOVED in kinds:
        name = [name[-1], *name[:-1]]
    elif SURNAME_REPLACED in kinds:
        replacement = _replaced_surname(person, rng)
        name = [*person.given, replacement]
    elif SURNAME_DROPPED in kinds:
        name = list(person.given[1:] if person.surname is None else person.given)

    father = family.father if earlier.father_name else ()
    mother = family.mother if earlier.mother_name or rng.random() < 0.4 else ()
    guardian = family.guardian if earlier.guardian_name else ()
    if MOTHER_FOR_FATHER in kinds:
        father, mother, guardian = (), family.mother, ()
    elif NO_PARENT in kinds:
        father, mother, guardian = (), (), ()

    name_text = render(name, script)
    father_text, mother_text = render(father, script), render(mother, script)
    if SPELLING in kinds:
        name_text = vary_name(name_text, script, rng, words=1 if rng.random() < 0.7 else 2)
        if rng.random() < 0.5:
            if father_text:
                father_text = vary_name(father_text, script, rng)
            elif mother_text:
                mother_text = vary_name(mother_text, script, rng)
    village = family.village.in_script(script)
    if VILLAGE_SPELLING in kinds:
        village = vary_name(village, script, rng)
    age = true_age
    if AGE_OFF in kinds:
        age = true_age + rng.choice([off for off in (-2, -1, 1, 2) if 5 <= true_age + off <= 17])
    return ChildRecord(
        id=0,
        person=person.id,
        family=family.id,
        name=name_text,
        sex=person.sex,
        father_name=father_text,
        mother_name=mother_text,
        guardian_name=render(guardian, script),
        guardian_relation=family.guardian_relation if guardian else "",
        age_years=age,
        date_of_birth=person.born if rng.random() < DATE_OF_BIRTH_SHARE and AGE_OFF not in kinds else None,
        rescued_on=rescued_on,
        home_district_lgd=family.district.lgd_code,
        home_district=family.district.name,
        home_block_lgd=family.block.lgd_code,
        home_block=family.block.name,
        home_village_text=village,
        aadhaar="",
        script=script,
    )


# --- Confusable new children ------------------------------------------------------------------------------------


def _age_like(person: Person, rng: random.Random) -> date:
    """A birth date within about two years of this child's."""
    return person.born + timedelta(days=rng.randint(-700, 700))


def namesake(person: Person, stranger: Family, new_id: int, rng: random.Random) -> Person:
    """A child of the family `stranger` (another family: placed in this child's district, block or village by the
    caller) who has exactly this child's name, sex and about this age."""
    family = stranger
    return Person(
        id=new_id,
        family=stranger,
        sex=person.sex,
        given=person.given,
        surname=person.surname,
        born=_age_like(person, rng),
        aadhaar="",
        father_known=not family.guardian,
        mother_known=rng.random() < 0.55,
    )


def sibling(person: Person, new_id: int, rng: random.Random, given: Token, sex: str) -> Person:
    """A brother or sister of this child, named `given`, born one to five years apart."""
    gap = rng.randint(365, 5 * 365) * rng.choice((-1, 1))
    family = person.family
    if family.muslim:
        surname = (family.surname if sex == "m" else n.FEMALE_MUSLIM_ENDINGS[0]) if rng.random() < 0.7 else None
    else:
        surname = (n.KUMAR if sex == "m" else n.KUMARI) if rng.random() < 0.75 else family.surname
    prefix = (n.MOHD,) if family.muslim and sex == "m" and n.MOHD in person.given else ()
    return Person(
        id=new_id,
        family=family,
        sex=sex,
        given=(*prefix, given),
        surname=surname,
        born=person.born + timedelta(days=gap),
        aadhaar="",
        father_known=not family.guardian,
        mother_known=rng.random() < 0.55,
    )


def other_sex(person: Person, family: Family, new_id: int, rng: random.Random) -> Person:
    """A child of the other sex with this child's given name, of about this age, of the family `family`."""
    sex = "f" if person.sex == "m" else "m"
    if family.muslim:
        surname = n.FEMALE_MUSLIM_ENDINGS[0] if sex == "f" else family.surname
    else:
        surname = n.KUMARI if sex == "f" else n.KUMAR
    return Person(
        id=new_id,
        family=family,
        sex=sex,
        given=tuple(token for token in person.given if token != n.MOHD),
        surname=surname,
        born=_age_like(person, rng),
        aadhaar="",
        father_known=not family.guardian,
        mother_known=rng.random() < 0.55,
    )


def new_child_record(person: Person, rng: random.Random, after: date) -> ChildRecord | None:
    """A new child's registration, rescued after `after` (None if no such rescue fits before TODAY as a child)."""
    rescued_on = after + timedelta(days=rng.randint(30, 900))
    rescued_on = min(rescued_on, TODAY)
    age = full_years(person.born, rescued_on)
    if not 6 <= age <= 17:
        return None
    script = DEVA if rng.random() < 0.15 else LATN
    record = first_record(person, 0, rescued_on, script, rng)
    if rng.random() < 0.25:  # a new child's name is also spelt as the officer spells it
        record = replace(record, name=vary_name(record.name, script, rng))
    return record
