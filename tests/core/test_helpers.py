"""The kernel's one home for each helper: ages, keyset cursors, identity hashes, SET LOCAL."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from clts.core.ages import age_on, full_years
from clts.core.db import local_settings
from clts.core.identifiers import identifier_digits, identifier_hash
from clts.core.keyset import format_cursor, parse_cursor


@pytest.mark.parametrize(
    ("earlier", "later", "years"),
    [
        (date(2012, 3, 1), date(2026, 2, 28), 13),
        (date(2012, 3, 1), date(2026, 3, 1), 14),
        (date(2012, 2, 29), date(2026, 2, 28), 13),  # a leap-day birthday comes on 1 March in other years
        (date(2012, 2, 29), date(2026, 3, 1), 14),
    ],
)
def test_full_years_count_by_anniversary(earlier, later, years):
    assert full_years(earlier, later) == years


def test_the_date_of_birth_decides_over_a_declared_age():
    assert age_on(date(2026, 6, 1), born=date(2014, 7, 1), age=15, age_known_on=date(2026, 1, 1)) == 11


def test_a_declared_age_grows_on_the_anniversary_of_the_day_it_was_declared_not_after_365_days():
    declared = date(2023, 3, 1)  # 2024 is a leap year: 365 days later is 29 February 2024
    assert declared + timedelta(days=365) == date(2024, 2, 29)
    assert age_on(declared + timedelta(days=365), age=12, age_known_on=declared) == 12
    assert age_on(date(2024, 3, 1), age=12, age_known_on=declared) == 13
    assert age_on(date(2022, 1, 1), age=12, age_known_on=declared) == 12  # never younger than declared
    assert age_on(date(2025, 3, 1)) is None


@pytest.mark.django_db
def test_python_and_sql_agree_on_completed_years():
    with connection.cursor() as cursor:
        cursor.execute("SELECT EXTRACT(YEAR FROM AGE(DATE '2026-02-28', DATE '2012-02-29'))::integer")
        assert cursor.fetchone()[0] == full_years(date(2012, 2, 29), date(2026, 2, 28))


def test_cursors_round_trip_dates_and_times_and_refuse_anything_else():
    moment = datetime(2026, 5, 1, 10, 30, tzinfo=UTC)
    assert parse_cursor(format_cursor(date(2026, 5, 1), 123)) == (date(2026, 5, 1), 123)
    assert parse_cursor(format_cursor(moment, 7)) == (moment, 7)
    for junk in ("", None, "2026-05-01", "2026-13-01_5", "yesterday_5", "2026-05-01_x", "_5", "2026-05-01.5"):
        assert parse_cursor(junk) is None, junk


def test_identifiers_ignore_spaces_and_hyphens_and_hash_under_the_key(settings):
    typed = "00 00-0000 9012"  # synthetic: no Aadhaar number begins with 0
    assert identifier_digits(typed) == "000000009012"
    assert identifier_hash(typed) == identifier_hash("000000009012")
    first = identifier_hash(typed)
    settings.IDENTIFIER_HASH_KEY = "another key"
    assert identifier_hash(typed) != first and len(first) == 64 and "1234" not in first


@pytest.mark.django_db(transaction=True)
def test_local_settings_last_only_for_the_block():
    def work_mem():
        with connection.cursor() as cursor:
            cursor.execute("SHOW work_mem")
            return cursor.fetchone()[0]

    default = work_mem()
    with local_settings(work_mem="7MB"):
        assert work_mem() == "7MB"
    assert work_mem() == default
    with pytest.raises(ValueError), local_settings(**{"work_mem; DROP TABLE x": 1}):
        pass
