"""Field-by-field comparisons of two records, each giving a level: how well they agree on that field.

A comparison says "not known" (None) when either record lacks the field: the field then counts neither for nor
against. The levels are ordered from the strongest agreement to disagreement; the model (clts.matching.model)
holds, per level, how often true pairs and unrelated pairs fall there, and the evidence in words.

Names and parents' names are compared as sets of words in any order (clts.matching.names), so "Kumar Rahul",
"Rahul" and "Rahul Kumar" agree fully, and "Aman Manjhi" against "Aman Kumar" agrees as one name inside the other.
Parents: any of the father's, mother's or guardian's name against any of the other's; a father's name that
differs from a mother's name is no evidence (the two records simply name different people), only a father's
against a father's (or mother's against mother's) that differ counts against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import JaroWinkler

from clts.matching.names import phonetic
from clts.matching.records import Record, years_between

# Levels of a comparison of two sets of words, strongest first.
SAME, INSIDE, ALIKE, SHARED, DIFFERENT = range(5)


@lru_cache(maxsize=500_000)
def words_alike(one: str, other: str) -> bool:
    """Two folded words that are one name spelt two ways (a typing slip, a sound written differently)."""
    if one == other:
        return True
    similarity = JaroWinkler.similarity(one, other)
    return similarity >= 0.92 or (similarity >= 0.8 and phonetic(one) == phonetic(other))


def compare_words(one: frozenset[str], other: frozenset[str]) -> tuple[int, frozenset[str]]:
    """The level at which two sets of words agree, and the words of `other` that agree with a word of `one`."""
    if one == other:
        return SAME, other
    if one < other or other < one:
        return INSIDE, one & other
    matched = set()
    unmatched_one = 0
    for word in one:
        if word in other:
            matched.add(word)
            continue
        partner = next(
            (candidate for candidate in other if candidate not in matched and words_alike(word, candidate)), None
        )
        if partner is None:
            unmatched_one += 1
        else:
            matched.add(partner)
    if not matched:
        return DIFFERENT, frozenset()
    if unmatched_one == 0 or len(matched) == len(other):
        return ALIKE, frozenset(matched)
    return SHARED, frozenset(matched)


@dataclass(frozen=True)
class Level:
    code: str
    evidence: str  # in words, for the officer (lazy translation)
    prior_m: float  # how often a true pair falls here, before the registry says otherwise
    tf: str = ""  # the term-frequency table whose words adjust this level's weight ("" for none)


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[Level, ...]
    compare: Callable[[Record, Record], tuple[int | None, frozenset[str]]]

    def level_codes(self) -> list[str]:
        return [level.code for level in self.levels]


NOT_KNOWN: tuple[None, frozenset[str]] = (None, frozenset())


def compare_name(one: Record, other: Record):
    if not one.name_words or not other.name_words:
        return NOT_KNOWN
    return compare_words(one.name_words, other.name_words)


def compare_parents(one: Record, other: Record):
    if not one.parents or not other.parents:
        return NOT_KNOWN
    best, best_words = DIFFERENT, frozenset()
    same_role_shared = same_role_different = False
    for role, words in one.parents:
        for other_role, other_words in other.parents:
            level, matched = compare_words(words, other_words)
            if level <= ALIKE and level < best:
                best, best_words = level, matched
            elif role == other_role and level == SHARED and best > SHARED:
                same_role_shared, best_words = True, matched
            elif role == other_role and level == DIFFERENT:
                same_role_different = True
    if best <= ALIKE:
        return best, best_words
    if same_role_shared:
        return SHARED, best_words
    if same_role_different:
        return DIFFERENT, frozenset()
    return NOT_KNOWN  # only a father's name against a mother's (or a guardian's): different people, no evidence


VILLAGE_SAME, VILLAGE_ALIKE, BLOCK_SAME, DISTRICT_SAME, DISTRICT_OTHER = range(5)


def compare_place(one: Record, other: Record):
    # Village names repeat across the state (a Bishunpur in most districts): a village agrees only in one district.
    if one.district_id and other.district_id and one.district_id != other.district_id:
        return DISTRICT_OTHER, frozenset()
    if one.village_words and other.village_words:
        level, matched = compare_words(one.village_words, other.village_words)
        if level == SAME:
            return VILLAGE_SAME, matched
        if level in (INSIDE, ALIKE):
            return VILLAGE_ALIKE, matched
    if one.block_id and other.block_id and one.block_id == other.block_id:
        return BLOCK_SAME, frozenset()
    if one.district_id and other.district_id:
        return (DISTRICT_SAME if one.district_id == other.district_id else DISTRICT_OTHER), frozenset()
    return NOT_KNOWN


def compare_age(one: Record, other: Record):
    if one.birth_estimate is None or other.birth_estimate is None:
        return NOT_KNOWN
    years = years_between(one.birth_estimate, other.birth_estimate)
    for level, limit in enumerate((1.1, 2.1, 3.5)):
        if years <= limit:
            return level, frozenset()
    return 3, frozenset()


def compare_sex(one: Record, other: Record):
    if one.sex not in ("m", "f") or other.sex not in ("m", "f"):
        return NOT_KNOWN
    return (0 if one.sex == other.sex else 1), frozenset()


def compare_aadhaar(one: Record, other: Record):
    if not one.aadhaar_hash or not other.aadhaar_hash:
        return NOT_KNOWN
    return (0 if one.aadhaar_hash == other.aadhaar_hash else 1), frozenset()


def compare_height(one: Record, other: Record):
    if not one.height_cm or not other.height_cm:
        return NOT_KNOWN
    # Children grow: up to about 6 cm a year between the two dates, on top of 5 cm of measuring by eye.
    dates = [day for day in (one.place_on or one.on, other.place_on or other.on) if day]
    tolerance = 5 + (6 * years_between(*dates) if len(dates) == 2 else 0)
    difference = abs(one.height_cm - other.height_cm)
    return (0 if difference <= tolerance else 1 if difference <= 2 * tolerance else 2), frozenset()


def compare_marks(one: Record, other: Record):
    if not one.mark_words or not other.mark_words:
        return NOT_KNOWN
    shared = len(one.mark_words & other.mark_words)
    return (0 if shared >= 2 else 1 if shared == 1 else 2), frozenset()


def compare_languages(one: Record, other: Record):
    if not one.language_set or not other.language_set:
        return NOT_KNOWN
    return (0 if one.language_set & other.language_set else 1), frozenset()


def compare_last_place(one: Record, other: Record):
    if not one.place_words or not other.place_words:
        return NOT_KNOWN
    level, _matched = compare_words(one.place_words, other.place_words)
    return (0 if level <= ALIKE else 1), frozenset()


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "name",
        (
            Level("same", _("Same name (in any order)"), 0.59, tf="name"),
            Level("inside", _("One name contains the other"), 0.2, tf="name"),
            Level("alike", _("Names spelt alike"), 0.17, tf="name"),
            # Most often two children of one family: same surname, another given name.
            Level("shared", _("Names share a word"), 0.01),
            Level("different", _("Names differ"), 0.03),
        ),
        compare_name,
    ),
    Comparison(
        "parent",
        (
            Level("same", _("Same parent's or guardian's name"), 0.6, tf="parent"),
            Level("inside", _("Parent's name contains the other"), 0.15, tf="parent"),
            Level("alike", _("Parent's name spelt alike"), 0.12, tf="parent"),
            Level("shared", _("Parent's names share a word"), 0.06),
            Level("different", _("Parent's name differs"), 0.07),
        ),
        compare_parents,
    ),
    Comparison(
        "place",
        (
            Level("village", _("Same village"), 0.6, tf="village"),
            Level("village_alike", _("Village spelt alike"), 0.15, tf="village"),
            Level("block", _("Same block"), 0.1),
            Level("district", _("Same home district"), 0.1),
            Level("district_other", _("Another home district"), 0.05),
        ),
        compare_place,
    ),
    Comparison(
        "age",
        (
            Level("fits", _("Age fits"), 0.7),
            Level("close", _("Age within two years"), 0.22),
            Level("far", _("Age three years off"), 0.05),
            Level("other", _("Age does not fit"), 0.03),
        ),
        compare_age,
    ),
    Comparison("sex", (Level("same", _("Same sex"), 0.98), Level("other", _("Other sex"), 0.02)), compare_sex),
    Comparison(
        "aadhaar",
        (Level("same", _("Same Aadhaar number"), 0.95), Level("other", _("Other Aadhaar number"), 0.05)),
        compare_aadhaar,
    ),
    Comparison(
        "height",
        (
            Level("fits", _("Height fits"), 0.8),
            Level("close", _("Height somewhat off"), 0.15),
            Level("other", _("Height does not fit"), 0.05),
        ),
        compare_height,
    ),
    Comparison(
        "marks",
        (
            Level("same", _("Same identifying marks"), 0.6),
            Level("some", _("An identifying mark in common"), 0.3),
            Level("other", _("Identifying marks differ"), 0.1),
        ),
        compare_marks,
    ),
    Comparison(
        "languages",
        (Level("shared", _("Speaks a language in common"), 0.95), Level("other", _("No language in common"), 0.05)),
        compare_languages,
    ),
    Comparison(
        "last_place",
        (Level("same", _("Same place last seen and found"), 0.5), Level("other", _("Another place"), 0.5)),
        compare_last_place,
    ),
)
COMPARISON_NAMES = tuple(comparison.name for comparison in COMPARISONS)


def comparison_vector(one: Record, other: Record) -> tuple[tuple[int | None, frozenset[str]], ...]:
    """Each comparison's (level or None, agreeing words of `other`) for one pair."""
    return tuple(comparison.compare(one, other) for comparison in COMPARISONS)
