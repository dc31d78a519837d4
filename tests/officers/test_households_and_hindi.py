"""Issue 11.13 (households reuse what is known) and 11.12 (Hindi reads as Hindi)."""

import pytest
from django.urls import reverse

from clts.geo.models import Village
from rescue.matching import aadhaar_hash
from schemes import services
from schemes.forms import HouseholdForm
from schemes.models import Document, DocumentKind
from tests import factories as f
from tests.rehabilitation.conftest import restored_case

pytestmark = pytest.mark.django_db


def test_the_aadhaar_given_at_registration_is_among_the_childs_documents(places, cast):
    case = restored_case(
        places, cast, child_fields={"aadhaar_last4": "0123", "aadhaar_hash": aadhaar_hash("000000000123")}
    )
    household = services.household_create(
        case=case, actor=cast.district, fields={"district": places.gaya, "block": places.bodh_gaya}
    )
    document = Document.objects.get(household=household, child=case.child, kind=DocumentKind.AADHAAR)
    assert document.number_last4 == "0123" and document.number_hash == aadhaar_hash("000000000123")


def test_the_village_is_typed_where_no_lgd_village_is_loaded_and_chosen_where_they_are(places):
    typed = HouseholdForm(initial={"district": places.gaya.pk, "block": places.bodh_gaya.pk})
    assert "village" not in typed.fields and typed.fields["village_text"].label == "Village"
    Village.objects.create(
        district=places.gaya, block=places.bodh_gaya, name_en="Test Bakraur", name_hi="बकरौर", lgd_code=999001
    )
    chosen = HouseholdForm(initial={"district": places.gaya.pk, "block": places.bodh_gaya.pk})
    assert [str(village) for village in chosen.fields["village"].queryset] == ["Test Bakraur"]


def test_block_and_village_names_in_devanagari_for_a_hindi_reader(client, places, cast):
    places.bodh_gaya.name_hi = "बोधगया"
    places.bodh_gaya.save()
    village = Village.objects.create(
        district=places.gaya, block=places.bodh_gaya, name_en="Test Bakraur", name_hi="बकरौर", lgd_code=999002
    )
    case = restored_case(places, cast, child_fields={"home_village": village})
    f.make_visit(case, assigned_to=cast.field)
    cast.field.language = "hi"
    cast.field.save(update_fields=["language"])
    client.force_login(cast.field)
    body = client.get(reverse("rehabilitation:visit-list")).content.decode()
    assert "बकरौर" in body and "बोधगया" in body and "Test Bakraur" not in body


def test_the_entitlement_card_title_says_each_language_once(client, places, cast):
    from django.template.loader import get_template

    source = get_template("schemes/entitlement_card.html").template.source
    assert "· हकदारी कार्ड" not in source  # the Hindi comes from the catalogue, once


def test_a_member_who_already_receives_a_benefit_is_not_told_to_apply(client, places, cast):
    from schemes import queries
    from schemes.models import Linkage

    case = restored_case(places, cast)
    household = f.make_household(case, resident_in_state=True)
    widow = f.make_member(household, relation="mother", marital_status="widowed", age_years=38)
    pension = f.make_scheme(
        name_en="Test widow pension",
        beneficiary="member",
        rule={"all": [{"subject": "member", "field": "marital_status", "op": "eq", "value": "widowed"}]},
    )
    suggested = queries.case_schemes(case=case, household=household)["suggestions"]
    assert [(item.scheme, item.member) for item in suggested if item.scheme == pension] == [(pension, widow)]

    client.force_login(cast.district)
    client.post(
        reverse("schemes:linkage-identify", args=[case.case_number]),
        {"scheme": pension.pk, "member": widow.pk, "already": "on"},
    )
    linkage = Linkage.objects.get(scheme=pension, member=widow)
    assert linkage.status == "received" and linkage.received_on is not None
    suggested = queries.case_schemes(case=case, household=household)["suggestions"]
    assert pension not in [item.scheme for item in suggested]
