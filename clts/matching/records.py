"""One record as the engine sees it: plain values, no model, so every app can put its own records in.

Registration fills it from the form or a Child; the missing/found queue (trackchild_sync) from a missing-child
report and a found child, with the extra fields (height, marks, languages, the place and date last seen or found).
The folded forms are worked out once per record and kept on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property, lru_cache

from clts.matching import names

DAYS_PER_YEAR = 365.25


@dataclass(eq=False)
class Record:
    """What is known of one child. Empty strings and None mean "not known": they count neither for nor against."""

    id: int | None = None  # the child's id where the record is stored; None for particulars being typed
    name: str = ""
    alias: str = ""  # another name the child is known by; compared as part of the name
    father_name: str = ""
    mother_name: str = ""
    guardian_name: str = ""
    village: str = ""  # as written
    block_id: int | None = None
    district_id: int | None = None
    sex: str = ""  # "m", "f" or "o" (rescue.choices.Sex)
    born: date | None = None  # date of birth, known or estimated
    age: int | None = None  # age in completed years on `on` (when the date of birth is not known)
    on: date | None = None  # the date the age was given (registration: the rescue)
    aadhaar_hash: str = ""  # clts.core.identifiers.identifier_hash of the full number
    # Missing and found children (trackchild_sync): all optional.
    height_cm: int | None = None
    marks: str = ""  # identifying marks, as written
    languages: tuple[str, ...] = ()
    place: str = ""  # where last seen (a missing child) or found (a found child)
    place_on: date | None = None  # when last seen or found
    extra: dict = field(default_factory=dict)  # the caller's own values, carried through untouched

    # --- derived forms, worked out once ---------------------------------------------------------------------

    @cached_property
    def name_words(self) -> frozenset[str]:
        return names.strong_words(self.name) | names.strong_words(self.alias)

    @cached_property
    def name_phonetics(self) -> frozenset[str]:
        return frozenset(names.phonetic(word) for word in self.name_words)

    @cached_property
    def parents(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """(role, strong words) of each parent or guardian given: "father", "mother" or "guardian"."""
        given = (("father", self.father_name), ("mother", self.mother_name), ("guardian", self.guardian_name))
        found = []
        for role, value in given:
            words = names.strong_words(value)
            if words:
                found.append((role, words))
        return tuple(found)

    @cached_property
    def village_words(self) -> frozenset[str]:
        return names.strong_words(self.village)

    @cached_property
    def place_words(self) -> frozenset[str]:
        return names.strong_words(self.place)

    @cached_property
    def mark_words(self) -> frozenset[str]:
        return _mark_words(self.marks)

    @cached_property
    def language_set(self) -> frozenset[str]:
        return frozenset(language.strip().lower() for language in self.languages if language.strip())

    @cached_property
    def birth_estimate(self) -> date | None:
        """The date of birth, or the middle of the year of birth an age on a date implies."""
        if self.born is not None:
            return self.born
        if self.age is None or self.on is None:
            return None
        return self.on - timedelta(days=round((self.age + 0.5) * DAYS_PER_YEAR))

    @property
    def birth_year(self) -> int | None:
        return self.birth_estimate.year if self.birth_estimate else None


def years_between(one: date, other: date) -> float:
    return abs((one - other).days) / DAYS_PER_YEAR


@lru_cache(maxsize=50_000)
def _mark_words(marks: str) -> frozenset[str]:
    """The words of identifying marks, once per distinct text (marks are written from a small vocabulary)."""
    return frozenset(word for word in names.folded_words(marks) if len(word) > 2) - _MARK_STOP_WORDS


# Words of identifying marks that name no mark ("on", "the", "left" is kept: it tells marks apart).
_MARK_STOP_WORDS = frozenset({"the", "and", "with", "near", "par", "per", "hai", "aur", "mark", "nisan"})
