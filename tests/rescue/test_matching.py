"""Earlier records of the same child are found across spellings and scripts, and unrelated children are not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rescue.matching import Particulars, aadhaar_hash, find_candidates, name_key, transliterate
from tests import factories as f


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("राम", "raam"),
        ("लक्ष्मी", "lakshmii"),
        ("कमला", "kamlaa"),
        ("मोहम्मद", "mohammad"),
        ("जितेंद्र", "jitendra"),
        ("खुशबू", "khushbuu"),
        ("ज़ाकिर", "zaakir"),
    ],
)
def test_devanagari_is_transliterated_as_names_are_spoken(devanagari, latin):
    assert transliterate(devanagari) == latin


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Mohd Rafiq", "Mohammad Rafiq"),
        ("Md. Rafiq", "Muhammad Rafique"),
        ("Laxmi Kumari", "Lakshmi Kumari"),
        ("लक्ष्मी कुमारी", "Laxmi Kumari"),
        ("मोहम्मद रफ़ीक", "Mohd Rafik"),
        ("खुशबू खातून", "Khushboo Khatoon"),
        ("Sunita Devi", "SUNEETA DEVEE"),
    ],
)
def test_variant_spellings_share_one_name_key(one, other):
    assert name_key(one) == name_key(other)


def test_unrelated_names_have_different_keys():
    assert name_key("Laxmi Kumari") != name_key("Rahul Kumar")


def test_aadhaar_hash_ignores_spaces_and_changes_with_the_key(settings):
    number = "9999" * 3
    first = aadhaar_hash(number)
    assert aadhaar_hash(" ".join(["9999"] * 3)) == first
    settings.IDENTIFIER_HASH_KEY = "another-key"
    assert aadhaar_hash(number) != first


def _earlier(places, **overrides):
    """A child rescued two years ago, aged 11 then, and its case."""
    rescued_at = timezone.now() - timedelta(days=730)
    values = {
        "home_district": places.gaya,
        "home_village_text": "Test Village Amrapur",
        "father_name": "Test Father Karim",
        "age_years": 11,
    } | overrides
    child = f.make_child(**values)
    f.make_case(
        district=places.gaya,
        child=child,
        rescue=f.make_rescue(district=places.gaya, rescued_at=rescued_at),
        age_at_rescue=values["age_years"],
    )
    return child


def _typed(name, **overrides) -> Particulars:
    values = {
        "name": name,
        "father_name": "Test Father Karim",
        "village": "Test Village Amrapur",
        "sex": "m",
        "age": 13,
    } | overrides
    return Particulars(**values)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier_name", "typed_name", "sex"),
    [
        ("Mohd Rafiq Test", "Mohammad Rafiq Test", "m"),
        ("Laxmi Kumari Test", "Lakshmi Kumari Test", "f"),
        ("लक्ष्मी कुमारी टेस्ट", "Laxmi Kumari Test", "f"),
        ("Mohammad Rafique Test", "मोहम्मद रफ़ीक टेस्ट", "m"),
    ],
)
def test_variant_pairs_are_found_as_strong_candidates(earlier_name, typed_name, sex, places, cast):
    earlier = _earlier(places, name=earlier_name, sex=sex)
    found = find_candidates(particulars=_typed(typed_name, sex=sex), user=cast.district)
    assert [c.child for c in found] == [earlier]
    assert found[0].score >= 70
    assert found[0].visible  # Gaya's district officer may see Gaya's child
    assert any("Age fits" in reason for reason in found[0].reasons)


@pytest.mark.django_db
def test_unrelated_children_are_not_candidates(places, cast):
    _earlier(places, name="Mohd Rafiq Test")
    _earlier(places, name="Laxmi Kumari Test", sex="f")
    assert find_candidates(particulars=_typed("Rahul Paswan Test"), user=cast.district) == []
    assert find_candidates(particulars=_typed("Sunita Manjhi", sex="f"), user=cast.district) == []


@pytest.mark.django_db
def test_an_age_more_than_two_years_off_or_another_sex_is_not_the_same_child(places, cast):
    _earlier(places, name="Mohd Rafiq Test")
    # Aged 11 two years ago: 13 now; 16 is more than two years off.
    assert find_candidates(particulars=_typed("Mohammad Rafiq Test", age=16), user=cast.district) == []
    assert find_candidates(particulars=_typed("Mohammad Rafiq Test", sex="f"), user=cast.district) == []
    assert find_candidates(particulars=_typed("Mohammad Rafiq Test", age=15), user=cast.district)


@pytest.mark.django_db
def test_guardian_and_village_raise_the_score_and_disagreeing_ones_lower_it(places, cast):
    earlier = _earlier(places, name="Mohd Rafiq Test")

    def best(**typed) -> int:
        found = find_candidates(particulars=_typed("Mohammad Rafiq Test", **typed), user=cast.district)
        return max((c.score for c in found if c.child == earlier), default=0)

    agreeing, unknown = best(), best(father_name="", village="")
    disagreeing = best(father_name="Test Other Parent", village="Somewhere Else")
    assert agreeing > unknown > 0, "the same parent and village are evidence for the earlier record"
    assert disagreeing < unknown, "another parent and village are evidence against it"


@pytest.mark.django_db
def test_same_aadhaar_is_a_certain_match_whatever_the_name(places, cast):
    number = "9999" * 3
    earlier = _earlier(places, name="Test Child Alias", aadhaar_hash=aadhaar_hash(number), aadhaar_last4="9999")
    found = find_candidates(
        particulars=_typed("Quite Different", aadhaar_hash=aadhaar_hash(number)), user=cast.district
    )
    assert found[0].child == earlier and found[0].score == 100


@pytest.mark.django_db
def test_a_candidate_outside_the_officers_area_is_found_but_not_shown_in_full(places, cast):
    _earlier(places, name="Mohd Rafiq Test")
    found = find_candidates(particulars=_typed("Mohammad Rafiq Test"), user=cast.outsider)
    assert len(found) == 1 and not found[0].visible


@pytest.mark.django_db
def test_name_keys_follow_the_names_when_a_child_is_saved(places):
    child = f.make_child(name="लक्ष्मी", father_name="Test Father")
    assert child.name_key == "laxmi" and child.guardian_key == name_key("Test Father")
    child.name = "Mohd Test"
    child.save(update_fields=["name"])
    child.refresh_from_db()
    assert child.name_key == "mohamad test"
