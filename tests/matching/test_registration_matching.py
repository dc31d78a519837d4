"""Registration's re-rescue check through the engine: earlier records found across spellings, scripts and word
order; unrelated children not offered; Aadhaar decisive; keys kept current when a child is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clts.matching.models import ChildMatchKey
from clts.matching.names import name_key, transliterate
from rescue import candidates
from rescue.matching import Particulars, aadhaar_hash
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
        "home_village_text": "Amrapur",
        "father_name": "Karim Ansari",
        "age_years": 11,
    } | overrides
    child = f.make_child(**values)
    f.make_case(
        district=places.gaya,
        child=child,
        rescue=f.make_rescue(district=places.gaya, rescued_at=rescued_at),
        age_at_rescue=values["age_years"],
        rescued_on=rescued_at.date(),
    )
    return child


def _typed(name, **overrides) -> Particulars:
    values = {"name": name, "father_name": "Karim Ansari", "village": "Amrapur", "sex": "m", "age": 13} | overrides
    return Particulars(**values)


def _found(particulars, user):
    return candidates.candidates_for(particulars=particulars, user=user)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("earlier_name", "typed_name", "sex"),
    [
        ("Mohd Rafiq", "Mohammad Rafiq", "m"),
        ("Laxmi Kumari", "Lakshmi Kumari", "f"),
        ("लक्ष्मी कुमारी", "Laxmi", "f"),
        ("Mohammad Rafique", "मोहम्मद रफ़ीक", "m"),
        ("Rahul Kumar", "Kumar Rahul", "m"),
        ("Aman Kumar", "Aman Manjhi", "m"),
        ("Bhola Kumar", "Bhola", "m"),
    ],
)
def test_variant_pairs_are_found_as_strong_candidates(earlier_name, typed_name, sex, places, cast):
    earlier = _earlier(places, name=earlier_name, sex=sex)
    found = _found(_typed(typed_name, sex=sex), cast.district)
    assert [c.child for c in found] == [earlier]
    assert found[0].is_strong and found[0].visible  # Gaya's district officer may see Gaya's child
    assert "Age fits" in found[0].evidence


@pytest.mark.django_db
def test_the_mothers_name_given_for_the_fathers_still_finds_the_child(places, cast):
    earlier = _earlier(places, name="Sonu Kumar", father_name="Ramesh Paswan")
    found = _found(_typed("Sonu", father_name="", mother_name="Sunita Devi"), cast.district)
    assert [c.child for c in found] == [earlier] and found[0].is_strong
    assert not any("differs" in reason for reason in found[0].evidence)


@pytest.mark.django_db
def test_unrelated_children_are_not_candidates(places, cast):
    _earlier(places, name="Mohd Rafiq")
    _earlier(places, name="Laxmi Kumari", sex="f")
    assert _found(_typed("Rahul Paswan", father_name="Sohan Paswan", village="Sherghati"), cast.district) == []
    assert _found(_typed("Sunita Manjhi", sex="f", father_name="Jitan Manjhi"), cast.district) == []


@pytest.mark.django_db
def test_a_namesake_of_another_family_is_not_strong(places, cast):
    _earlier(places, name="Rahul Kumar", father_name="Ramesh Yadav", home_village_text="Dobhi")
    found = _found(_typed("Rahul Kumar", father_name="Suresh Manjhi", village="Imamganj"), cast.district)
    assert not any(c.is_strong for c in found)


@pytest.mark.django_db
def test_age_and_sex_that_differ_are_evidence_against(places, cast):
    earlier = _earlier(places, name="Mohd Rafiq")

    def best(**typed) -> float:
        found = _found(_typed("Mohammad Rafiq", **typed), cast.district)
        return max((c.score for c in found if c.child == earlier), default=0)

    assert best() > best(age=17)
    assert best() > best(sex="f")


@pytest.mark.django_db
def test_guardian_and_village_raise_the_score_and_disagreeing_ones_lower_it(places, cast):
    earlier = _earlier(places, name="Mohd Rafiq Alam")

    def best(**typed) -> float:
        found = _found(_typed("Mohammad Rafiq Alam", **typed), cast.district)
        return max((c.score for c in found if c.child == earlier), default=0)

    agreeing, unknown = best(), best(father_name="", village="")
    disagreeing = best(father_name="Jagdish Prasad", village="Somewhere Else")
    assert agreeing > unknown > 0, "the same parent and village are evidence for the earlier record"
    assert disagreeing < unknown, "another parent and village are evidence against it"


@pytest.mark.django_db
def test_same_aadhaar_is_a_certain_match_whatever_the_name(places, cast):
    number = "9999" * 3
    earlier = _earlier(places, name="Guddu", aadhaar_hash=aadhaar_hash(number), aadhaar_last4="9999")
    found = _found(_typed("Quite Different", aadhaar_hash=aadhaar_hash(number)), cast.district)
    assert found[0].child == earlier and found[0].is_strong and "Same Aadhaar number" in found[0].evidence


@pytest.mark.django_db
def test_a_candidate_outside_the_officers_area_is_found_but_not_shown_in_full(places, cast):
    _earlier(places, name="Mohd Rafiq")
    found = _found(_typed("Mohammad Rafiq"), cast.outsider)
    assert len(found) == 1 and not found[0].visible


@pytest.mark.django_db
def test_name_and_matching_keys_follow_the_names_when_a_child_is_saved(places, cast):
    child = f.make_child(name="लक्ष्मी", father_name="Test Father")
    assert child.name_key == "laxmi" and child.guardian_key == name_key("Test Father")
    before = set(ChildMatchKey.objects.filter(child_id=child.pk).values_list("key", flat=True))
    child.name = "Mohd Test"
    child.save(update_fields=["name"])
    child.refresh_from_db()
    assert child.name_key == "mohamad test"
    after = set(ChildMatchKey.objects.filter(child_id=child.pk).values_list("key", flat=True))
    assert before and after and before != after
