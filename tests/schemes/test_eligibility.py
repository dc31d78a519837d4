"""The eligibility engine: a table of households written from the seeded rules (per-case engine and reasons),
and the set-based district and state counts, which must equal the per-household engine summed."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.utils import timezone

from schemes import eligibility, queries, services
from schemes.models import Household
from tests import factories as f

H = "household"


@dataclass
class Family:
    """One household of the table: its facts, members, rescued children, and the schemes it must get."""

    title: str
    household: dict
    members: list[dict] = field(default_factory=list)
    # Each child: Child fields (sex, age_years, date_of_birth), case flags (bonded, trafficked) and
    # HouseholdChild facts under "link".
    children: list[dict] = field(default_factory=list)
    # (scheme code, who): who is "household", a member's relation, or "child1", "child2"...
    expected: set[tuple[str, str]] = field(default_factory=set)
    district: str = "gaya"


def years_ago(years: int, days: int = 0) -> date:
    today = timezone.localdate()
    return date(today.year - years, today.month, min(today.day, 28)) - timedelta(days=days)


FAMILIES = [
    Family(
        "widowed mother, 34, not BPL, Antyodaya card, rural; boy of 12 in class 5",
        {"area": "rural", "ration_card_type": "aay", "income_band": "below_5000", "house_type": "pucca"},
        [{"relation": "mother", "sex": "f", "age_years": 34, "marital_status": "widowed"}],
        [{"sex": "m", "age_years": 12, "link": {"enrolled_in_school": True, "school_class": 5}}],
        {
            ("pm_jay", H),
            ("mgnrega_job_card", H),
            ("laxmibai_pension", "mother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("cm_scholarship", "child1"),
        },
    ),
    Family(
        "BPL widow, 45, urban, kutcha house, no card, SC; girl of 13 out of school",
        {
            "area": "urban",
            "bpl": True,
            "house_type": "kutcha",
            "income_band": "upto_6000",
            "social_category": "sc",
        },
        [{"relation": "mother", "sex": "f", "age_years": 45, "marital_status": "widowed"}],
        [{"sex": "f", "age_years": 13}],
        {
            ("nfsa_ration_card", H),
            ("pm_jay", H),
            ("ignwps", "mother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("kgbv", "child1"),
        },
    ),
    Family(
        "BPL grandfather, 67, and father, 38, a construction worker; PHH card; bonded boy of 15",
        {
            "area": "rural",
            "bpl": True,
            "ration_card_type": "phh",
            "house_type": "semi_pucca",
            "income_band": "upto_8000",
        },
        [
            {"relation": "grandfather", "sex": "m", "age_years": 67, "marital_status": "married"},
            {"relation": "father", "sex": "m", "age_years": 38, "occupation": "construction"},
        ],
        [{"sex": "m", "age_years": 15, "bonded": True}],
        {("pm_jay", H), ("mgnrega_job_card", H), ("ignoaps", "grandfather"), ("bocw_registration", "father")},
    ),
    Family(
        "migrant family not resident in the state, houseless, OBC; girl of 11 in class 4",
        {
            "area": "rural",
            "resident_in_state": False,
            "house_type": "houseless",
            "social_category": "obc",
            "income_band": "below_5000",
        },
        [{"relation": "mother", "sex": "f", "age_years": 30, "marital_status": "married", "occupation": "homemaker"}],
        [{"sex": "f", "age_years": 11, "link": {"enrolled_in_school": True, "school_class": 4}}],
        {
            ("mgnrega_job_card", H),
            ("mission_vatsalya_sponsorship", "child1"),
            ("cm_scholarship", "child1"),
            ("kgbv", "child1"),
        },
    ),
    Family(
        "orphan boy of 16 with uncle and aunt, BPL, kutcha, income not recorded",
        {"area": "rural", "bpl": True, "house_type": "kutcha"},
        [
            {"relation": "uncle", "sex": "m", "age_years": 50, "occupation": "agricultural_labour"},
            {"relation": "aunt", "sex": "f", "age_years": 48, "marital_status": "married"},
        ],
        [{"sex": "m", "age_years": 16, "link": {"parent_status": "orphan"}}],
        {("nfsa_ration_card", H), ("pmay_g", H), ("pm_jay", H), ("mgnrega_job_card", H)},
    ),
    Family(
        "father, 45, with 80 per cent disability, BPL, urban, Antyodaya; trafficked boy of 9 in class 3",
        {"area": "urban", "bpl": True, "ration_card_type": "aay", "house_type": "pucca", "income_band": "below_5000"},
        [
            {"relation": "father", "sex": "m", "age_years": 45, "disabled": True, "disability_percent": 80},
            {"relation": "mother", "sex": "f", "age_years": 42, "marital_status": "married"},
        ],
        [{"sex": "m", "age_years": 9, "trafficked": True, "link": {"enrolled_in_school": True, "school_class": 3}}],
        {("pm_jay", H), ("igndps", "father"), ("mission_vatsalya_sponsorship", "child1"), ("cm_scholarship", "child1")},
    ),
    Family(
        "widowed grandmother, 82, BPL; minority girl of 17 in class 11",
        {"area": "rural", "bpl": True, "minority": True, "house_type": "pucca", "income_band": "below_5000"},
        [{"relation": "grandmother", "sex": "f", "age_years": 82, "marital_status": "widowed"}],
        [{"sex": "f", "age_years": 17, "link": {"enrolled_in_school": True, "school_class": 11}}],
        {
            ("nfsa_ration_card", H),
            ("pm_jay", H),
            ("mgnrega_job_card", H),
            ("ignoaps", "grandmother"),
            ("laxmibai_pension", "grandmother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("kgbv", "child1"),
        },
    ),
    Family(
        "two rescued brothers, 13 in class 7 and 17 out of school; urban, income above Rs 10,000, PHH card",
        {
            "area": "urban",
            "ration_card_type": "phh",
            "house_type": "pucca",
            "income_band": "above_10000",
            "social_category": "general",
        },
        [
            {"relation": "mother", "sex": "f", "age_years": 36, "marital_status": "married"},
            {"relation": "father", "sex": "m", "age_years": 40, "occupation": "casual_labour"},
        ],
        [
            {"sex": "m", "age_years": 13, "link": {"enrolled_in_school": True, "school_class": 7}},
            {"sex": "m", "age_years": 17},
        ],
        {("pm_jay", H), ("cm_scholarship", "child1")},
    ),
    Family(
        "no member recorded; ST girl whose age comes from her date of birth (14)",
        {"area": "rural", "social_category": "st", "house_type": "kutcha", "income_band": "upto_6000"},
        [],
        [{"sex": "f", "age_years": None, "date_of_birth": years_ago(14, days=3)}],
        {("nfsa_ration_card", H), ("pmay_g", H), ("mission_vatsalya_sponsorship", "child1"), ("kgbv", "child1")},
        district="patna",
    ),
    Family(
        "widowed mother whose age is not recorded; other ration card; boy of 8 (by date of birth) in class 2",
        {"area": "rural", "ration_card_type": "other", "house_type": "pucca", "income_band": "below_5000"},
        [{"relation": "mother", "sex": "f", "age_years": None, "marital_status": "widowed"}],
        [
            {
                "sex": "m",
                "age_years": None,
                "date_of_birth": years_ago(8),
                "link": {"enrolled_in_school": True, "school_class": 2},
            }
        ],
        {("mission_vatsalya_sponsorship", "child1"), ("cm_scholarship", "child1")},
    ),
    Family(
        "separated mother, 29, a construction worker, BPL, Antyodaya, EBC; girl of 10 in class 4",
        {
            "area": "rural",
            "bpl": True,
            "ration_card_type": "aay",
            "house_type": "semi_pucca",
            "income_band": "upto_6000",
            "social_category": "ebc",
        },
        [
            {
                "relation": "mother",
                "sex": "f",
                "age_years": 29,
                "marital_status": "separated",
                "occupation": "construction",
            }
        ],
        [
            {
                "sex": "f",
                "age_years": 10,
                "link": {"enrolled_in_school": True, "school_class": 4, "parent_status": "mother_only"},
            }
        ],
        {
            ("pm_jay", H),
            ("mgnrega_job_card", H),
            ("bocw_registration", "mother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("cm_scholarship", "child1"),
            ("kgbv", "child1"),
        },
    ),
    Family(
        "widowed father, 61, not BPL, houseless; the rescued son is now 18",
        {"area": "rural", "house_type": "houseless", "income_band": "below_5000"},
        [{"relation": "father", "sex": "m", "age_years": 61, "marital_status": "widowed"}],
        [{"sex": "m", "age_years": 18}],
        {("nfsa_ration_card", H), ("pmay_g", H), ("mgnrega_job_card", H)},
        district="patna",
    ),
    Family(
        "BPL widow of exactly 40: the national widow pension, not Laxmibai; girl of 9 in class 4",
        {"area": "rural", "bpl": True, "ration_card_type": "phh", "house_type": "pucca", "income_band": "below_5000"},
        [{"relation": "mother", "sex": "f", "age_years": 40, "marital_status": "widowed"}],
        [{"sex": "f", "age_years": 9, "link": {"enrolled_in_school": True, "school_class": 4}}],
        {
            ("pm_jay", H),
            ("mgnrega_job_card", H),
            ("ignwps", "mother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("cm_scholarship", "child1"),
        },
    ),
    Family(
        "mother, 30, with 60 per cent disability (below the pension's 80), BPL, urban; girl of 15 out of school",
        {
            "area": "urban",
            "bpl": True,
            "house_type": "kutcha",
            "income_band": "upto_8000",
            "social_category": "general",
        },
        [{"relation": "mother", "sex": "f", "age_years": 30, "disabled": True, "disability_percent": 60}],
        [{"sex": "f", "age_years": 15}],
        {("nfsa_ration_card", H), ("pm_jay", H), ("mission_vatsalya_sponsorship", "child1"), ("kgbv", "child1")},
    ),
    Family(
        "BPL uncle of 61 (too old to register as a construction worker) and widowed grandmother of 65; boy of 11",
        {"area": "rural", "bpl": True, "house_type": "kutcha", "income_band": "below_5000"},
        [
            {"relation": "uncle", "sex": "m", "age_years": 61, "occupation": "construction"},
            {"relation": "grandmother", "sex": "f", "age_years": 65, "marital_status": "widowed"},
        ],
        [{"sex": "m", "age_years": 11, "link": {"enrolled_in_school": True, "school_class": 6}}],
        {
            ("nfsa_ration_card", H),
            ("pmay_g", H),
            ("pm_jay", H),
            ("mgnrega_job_card", H),
            ("ignoaps", "uncle"),
            ("ignoaps", "grandmother"),
            ("ignwps", "grandmother"),
            ("mission_vatsalya_sponsorship", "child1"),
            ("cm_scholarship", "child1"),
        },
    ),
    Family(
        "a pucca house, PHH card, income above Rs 10,000, general category, urban: nothing but PM-JAY",
        {
            "area": "urban",
            "ration_card_type": "phh",
            "house_type": "pucca",
            "income_band": "above_10000",
            "social_category": "general",
        },
        [{"relation": "father", "sex": "m", "age_years": 44, "occupation": "salaried", "marital_status": "married"}],
        [{"sex": "f", "age_years": 14, "link": {"enrolled_in_school": True, "school_class": 12}}],
        {("pm_jay", H)},
        district="patna",
    ),
]


def build(family: Family, places, actor) -> tuple[Household, dict]:
    """Create the family; return the household and who-label -> key, as Eligibility.key reports it."""
    district = getattr(places, family.district)
    cases = []
    for spec in family.children:
        spec = dict(spec)
        spec.pop("link", None)
        case_flags = {k: spec.pop(k) for k in ("bonded", "trafficked") if k in spec}
        child = f.make_child(home_district=district, **spec)
        cases.append(f.make_case(district=district, child=child, **case_flags))
    household = f.make_household(cases[0], child=family.children[0].get("link", {}), **family.household)
    for case, spec in zip(cases[1:], family.children[1:], strict=True):
        f.make_household_child(household, case, **spec.get("link", {}))
    labels = {}
    for index, case in enumerate(cases, start=1):
        labels[("child", case.child_id)] = f"child{index}"
    for spec in family.members:
        member = f.make_member(household, **spec)
        labels[("member", member.pk)] = spec["relation"]
    labels[("household", household.pk)] = H
    household.test_cases = cases
    return household, labels


@pytest.mark.django_db
@pytest.mark.parametrize("family", FAMILIES, ids=[family.title for family in FAMILIES])
def test_engine_returns_exactly_the_expected_schemes(family, catalogue, places):
    household, labels = build(family, places, None)
    found = queries.household_eligibility(household=household)
    got = {(item.scheme.code, labels[item.key]) for item in found}
    assert got == family.expected
    for item in found:
        who = eligibility.who(item.candidate)
        assert item.reason.startswith(f"{who}, ") or item.reason.startswith(f"{who}:"), item.reason
        assert item.reason.endswith(f": eligible for {item.scheme.name_en}"), item.reason


def test_the_table_has_at_least_fifteen_households():
    assert len(FAMILIES) >= 15
    assert {code for family in FAMILIES for code, _ in family.expected} >= {
        "nfsa_ration_card",
        "pmay_g",
        "pm_jay",
        "mgnrega_job_card",
        "ignoaps",
        "ignwps",
        "igndps",
        "laxmibai_pension",
        "mission_vatsalya_sponsorship",
        "cm_scholarship",
        "kgbv",
        "bocw_registration",
    }


@pytest.mark.django_db
def test_reasons_say_who_and_why_in_words(catalogue, places):
    household, labels = build(FAMILIES[0], places, None)
    reasons = {item.scheme.code: item.reason for item in queries.household_eligibility(household=household)}
    assert reasons["laxmibai_pension"] == (
        "mother, 34, widowed, income below Rs 5,000 a month, resident of the state, not BPL: "
        "eligible for Laxmibai Social Security Pension"
    )
    assert reasons["mission_vatsalya_sponsorship"].startswith("boy, 12, rural, income below Rs 5,000 a month")
    assert reasons["mgnrega_job_card"] == "household, rural, mother, 34: eligible for MGNREGA job card"


@pytest.mark.django_db
def test_reasons_follow_the_language(catalogue, places):
    from django.utils import translation

    household, _ = build(FAMILIES[0], places, None)
    with translation.override("hi"):
        items = queries.household_eligibility(household=household)
    laxmibai = next(item for item in items if item.scheme.code == "laxmibai_pension")
    assert "लक्ष्मीबाई सामाजिक सुरक्षा पेंशन" in laxmibai.reason


@pytest.mark.django_db
def test_missing_documents_are_the_schemes_papers_not_yet_held(catalogue, places, cast):
    household, labels = build(FAMILIES[0], places, None)
    mother = household.members.get()
    services.document_record(household=household, member=mother, kind="aadhaar", number="9999" * 3, actor=cast.district)
    items = {item.scheme.code: item for item in queries.household_eligibility(household=household)}
    assert items["laxmibai_pension"].missing == ["bank_account", "income_certificate", "residence_certificate"]
    # The child's own papers count for the child's scheme, a member's do not.
    assert items["mission_vatsalya_sponsorship"].missing == [
        "birth_certificate",
        "aadhaar",
        "bank_account",
        "income_certificate",
    ]
    assert items["mgnrega_job_card"].missing == []


def _unlinked_by_engine(households) -> Counter:
    counts = Counter()
    for household in households:
        for item in queries.household_eligibility(household=household):
            if item.linkage is None:
                counts[item.scheme.pk] += 1
    return counts


@pytest.mark.django_db
def test_set_based_counts_equal_the_engine_summed(catalogue, places, cast, django_assert_max_num_queries):
    built = [build(family, places, None)[0] for family in FAMILIES]
    # Some benefits already followed: they are eligible but no longer unlinked.
    first, second = built[0], built[1]
    services.linkage_identify(case=first.test_cases[0], scheme=catalogue["pm_jay"], actor=cast.district)
    services.linkage_identify(
        case=first.test_cases[0],
        scheme=catalogue["laxmibai_pension"],
        member=first.members.get(),
        actor=cast.district,
    )
    services.linkage_identify(
        case=second.test_cases[0], scheme=catalogue["mission_vatsalya_sponsorship"], actor=cast.district
    )

    for district in (places.gaya, places.patna, None):
        households = [h for h in built if district is None or h.district_id == district.pk]
        expected = _unlinked_by_engine(households)
        with django_assert_max_num_queries(len(catalogue) + 2):
            counts = queries.eligible_unlinked_counts(district_id=district.pk if district else None)
        assert {pk: n for pk, n in counts.items() if n} == dict(expected), district
    # The summary table the dashboards read agrees after a refresh.
    services.eligibility_summary_refresh()
    assert {k: v for k, v in queries.eligible_unlinked_summary(district_id=places.gaya.pk).items() if v} == dict(
        _unlinked_by_engine([h for h in built if h.district_id == places.gaya.pk])
    )
    assert sum(queries.eligible_unlinked_summary().values()) == sum(_unlinked_by_engine(built).values())
