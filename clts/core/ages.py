"""A child's age: one definition, in completed years by anniversary, in Python and in SQL.

Registration, matching, rehabilitation (school age, work at 14) and scheme eligibility all ask "how old is this
child on that day?". A date of birth answers it exactly; without one, an age known on some day (the age declared at
rescue) grows by the completed years since that day. A child registered at 12 on 1 March is 13 on 1 March a year
later, not on the 365th day.
"""

from datetime import date

from django.db import models


def full_years(earlier: date, later: date) -> int:
    """Completed years from one date to another (PostgreSQL's AGE() agrees, 29 February included)."""
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def age_on(
    day: date, *, born: date | None = None, age: int | None = None, age_known_on: date | None = None
) -> int | None:
    """The age on `day`: from the date of birth when known, else `age` (true on `age_known_on`) plus the years since.

    None when neither is known. Never younger than the age known: a day before `age_known_on` gives `age`.
    """
    if born is not None:
        return full_years(born, day)
    if age is None:
        return None
    if age_known_on is None:
        return age
    return age + max(0, full_years(age_known_on, day))


class YearsBetween(models.Func):
    """SQL: EXTRACT(YEAR FROM AGE(later, earlier)), completed years as full_years() counts them."""

    template = "EXTRACT(YEAR FROM AGE(%(expressions)s))::integer"
    output_field = models.IntegerField()
