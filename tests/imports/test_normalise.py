"""The normaliser: registers' dates, sexes, ages and place names read as values, and what cannot be read reported."""

from datetime import date, datetime

import pytest

from clts.geo.models import District
from clts.imports import normalise as n
from clts.imports.kinds.rescue import RescueRegister
from clts.imports.mapping import auto_map


@pytest.mark.parametrize(
    "cell, day",
    [
        ("05-03-2016", date(2016, 3, 5)),
        ("5/3/2016", date(2016, 3, 5)),
        ("05.03.16", date(2016, 3, 5)),
        ("2016-03-05", date(2016, 3, 5)),
        ("2016-03-05 00:00:00", date(2016, 3, 5)),
        (42434, date(2016, 3, 5)),  # Excel's serial of 5 March 2016
        ("42434", date(2016, 3, 5)),
        (datetime(2016, 3, 5, 0, 0), date(2016, 3, 5)),
        ("०५-०३-२०१६", date(2016, 3, 5)),
        ("", None),
    ],
)
def test_dates_in_the_formats_registers_use(cell, day):
    assert n.parse_date(cell) == day


@pytest.mark.parametrize("cell", ["31-02-2016", "29-02-2015", "00-01-2016", "12-13-2016", "2016-02-30"])
def test_an_impossible_date_is_reported_not_guessed(cell):
    with pytest.raises(n.Unreadable, match="not a date that exists"):
        n.parse_date(cell)


@pytest.mark.parametrize("cell", ["March 2016", "5th March", "1.5", "99999999", "2016"])
def test_what_is_not_a_date_is_reported(cell):
    with pytest.raises(n.Unreadable):
        n.parse_date(cell)


@pytest.mark.parametrize(
    "cell, sex",
    [("M", "m"), ("male", "m"), ("पुरुष", "m"), ("लड़का", "m"), ("F", "f"), ("Female", "f"), ("महिला", "f"),
     ("बालिका", "f"), ("T", "o"), ("", "")],
)  # fmt: skip
def test_sex_codes_in_english_and_hindi(cell, sex):
    assert n.parse_sex(cell) == sex


def test_an_unknown_sex_code_is_reported():
    with pytest.raises(n.Unreadable):
        n.parse_sex("X")


@pytest.mark.parametrize(
    "cell, age", [("12", 12), (" 12 ", 12), ("12 yrs", 12), ("१२", 12), ("12 वर्ष", 12), (12.0, 12)]
)
def test_ages_in_digits(cell, age):
    assert n.parse_age(cell) == age


@pytest.mark.parametrize("cell", ["twelve", "about ten", "12-13", "1 2", "12.5", -3])
def test_an_age_not_in_digits_is_reported(cell):
    with pytest.raises(n.Unreadable, match="digits"):
        n.parse_age(cell)


def test_text_is_trimmed_and_devanagari_kept_intact():
    assert n.text("  राम   कुमार \u00a0") == "राम कुमार"
    # A decomposed nukta (ड + ़) is composed as one keyboard types it; the letters themselves are unchanged.
    assert n.text("लड\u093cका") == "ल\u095cका" or n.text("लड\u093cका") == "लड\u093cका"


@pytest.mark.parametrize("cell", ['=HYPERLINK("http://x")', "+91 1", "@SUM(A1)", "-cmd"])
def test_a_formula_looking_cell_is_refused(cell):
    with pytest.raises(n.Unreadable, match="formula"):
        n.text(cell)


def test_a_negative_number_is_not_a_formula():
    assert n.text("-5") == "-5"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "cell",
    ["Purnia", "Purnea", "PURNEA", "पूर्णिया", "Purniya", " purnia ", "214"],  # 214: Purnia's LGD code
)
def test_district_spellings_find_the_lgd_district(bihar, cell):
    places = n.Places(bihar)
    assert places.district(cell) == District.objects.get(lgd_code=214)


@pytest.mark.django_db
def test_more_spellings(bihar):
    places = n.Places(bihar)
    assert places.district("Mujaffarpur").name_en == "Muzaffarpur"
    assert places.district("गया").name_en == "Gaya"
    gaya = District.objects.get(name_en="Gaya")
    assert places.block("Bodh Gaya", gaya).name_en == "Bodhgaya"
    assert places.block("Sherghati", gaya).name_en == "Sherghatty"


@pytest.mark.django_db
@pytest.mark.parametrize("cell", ["Gotham", "Patnagaya", "Champaran"])
def test_an_unknown_or_ambiguous_district_is_reported(bihar, cell):
    with pytest.raises(n.Unreadable, match="No district"):
        n.Places(bihar).district(cell)


def test_headers_are_matched_in_english_hindi_and_variants():
    kind = RescueRegister()
    mapping = auto_map(kind, ["क्रम", "बच्चे का नाम", "पिता का नाम", "लिंग", "उम्र", "Date of Rescue", "Distt."])
    assert mapping["name"] == 1 and mapping["father_name"] == 2 and mapping["sex"] == 3 and mapping["age_years"] == 4
    assert mapping["rescued_on"] == 5
    assert auto_map(kind, ["Child Name"])["name"] == 0
    assert auto_map(kind, ["Name of Child"])["name"] == 0
    assert auto_map(kind, ["Childs Nmae"])["name"] == 0  # a typing slip is still close enough


def test_a_template_wins_over_the_known_headers():
    kind = RescueRegister()
    mapping = auto_map(kind, ["Naam", "District"], template={"naam": "name", "district": "home_district"})
    assert mapping == {"name": 0, "home_district": 1}
