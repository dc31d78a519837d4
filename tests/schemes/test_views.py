"""Pages of schemes: the case panel, households, the linkage steps, nodal officers' view, the work queue."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clts.accounts.roles import Role
from clts.audit.models import AccessLog
from clts.core.keyset import parse_cursor
from schemes import queries, services
from schemes.models import Household, Linkage, LinkageStatus
from schemes.panels import case_panel
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def family(places, cast, catalogue):
    """A child of Gaya rescued from a kiln (FIR and employer recorded), a widowed mother of 34."""
    rescue = f.make_rescue(
        district=places.gaya,
        employer_name="Test Employer Kiln Owner",
        establishment_name="Test Brick Works",
        fir_number="FIR-77/2026",
        police_station="Test Police Station",
    )
    case = f.make_case(district=places.gaya, rescue=rescue, block=places.bodh_gaya)
    household = f.make_household(
        case,
        block=places.bodh_gaya,
        income_band="below_5000",
        address="Test Tola, ward 3",
        child={"enrolled_in_school": True, "school_class": 5},
    )
    mother = f.make_member(
        household, name="Test Mother", relation="mother", age_years=34, marital_status="widowed", is_guardian=True
    )
    return case, household, mother


def _linkage(case, scheme, member=None, **fields):
    return f.make_linkage(case, scheme, member=member, **fields)


def test_case_panel_shows_eligible_schemes_with_reasons_and_missing_documents(rf, family, cast, catalogue):
    case, household, mother = family
    request = rf.get(f"/cases/{case.case_number}/")
    request.user = cast.district
    panel = case_panel(request=request, case=case)
    assert panel["template"] == "schemes/case_panel.html"
    laxmibai = next(item for item in panel["context"]["suggestions"] if item.scheme.code == "laxmibai_pension")
    assert laxmibai.reason.startswith("mother, 34, widowed")
    assert "Bank account" in laxmibai.missing_labels

    from django.template.loader import render_to_string

    html = render_to_string(panel["template"], panel["context"], request=request)
    assert "mother, 34, widowed" in html
    assert "First step, get:" in html
    assert reverse("schemes:linkage-identify", args=[case.case_number]) in html


def test_case_panel_is_for_those_who_see_households(rf, family, cast):
    case, _, _ = family
    for user in (cast.cwc, cast.cci, cast.field, cast.nodal):
        request = rf.get("/")
        request.user = user
        assert case_panel(request=request, case=case) is None


def test_case_page_carries_the_panel(client, rf, family, cast, catalogue, django_assert_max_num_queries):
    case, household, mother = family
    for code in ("pm_jay", "mgnrega_job_card"):
        _linkage(case, catalogue[code])
    client.force_login(cast.district)
    response = client.get(reverse("rescue:case-detail", args=[case.case_number]))
    assert response.status_code == 200
    assert 'id="schemes-panel"' in response.content.decode()

    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = cast.district
    # Whatever the number of members, documents and linkages: household, children, members, documents,
    # linkages, schemes (and the user's shared cases, once per request, for access).
    with django_assert_max_num_queries(7):
        panel = case_panel(request=request, case=case)
        render_to_string(panel["template"], panel["context"], request=request)


def test_a_household_is_recorded_from_the_case_page_and_identifiers_are_masked(client, places, cast, catalogue):
    case = f.make_case(district=places.gaya)
    client.force_login(cast.district)
    url = reverse("schemes:household-create", args=[case.case_number])
    account = "12345678" + "9012"  # a synthetic bank account, built so no 12-digit literal sits in code
    data = {
        "district": places.gaya.pk,
        "area": "rural",
        "ration_card_type": "phh",
        "ration_card_number": "RC-20261234",
        "bank_account_number": account,
        "income_band": "below_5000",
        "resident_in_state": "on",
        "child-parent_status": "mother_only",
    }
    response = client.post(url, data | {"land_acres": "-1"})
    assert response.status_code == 200, "a rejected form is shown again"
    assert not Household.objects.exists(), "and writes nothing"
    page = response.content.decode()
    assert 'value="RC-20261234"' in page, "with what was typed"
    response = client.post(url, data)
    household = Household.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "schemes:household-detail", args=[household.pk]
    )
    assert household.ration_card_last4 == "1234" and household.children.get().parent_status == "mother_only"
    page = client.get(response["Location"]).content.decode()
    assert "XXXX1234" in page and "RC-20261234" not in page and account not in page


def test_members_aadhaar_is_never_shown_in_full(client, family, cast):
    case, household, mother = family
    number = "9999" * 3
    client.force_login(cast.district)
    response = client.post(
        reverse("schemes:member-edit", args=[mother.pk]),
        {
            "name": "Test Mother",
            "relation": "mother",
            "sex": "f",
            "age_years": 34,
            "age_as_of": timezone.localdate(),
            "marital_status": "widowed",
            "aadhaar_number": number,
            "is_guardian": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("schemes:household-detail", args=[household.pk])).content.decode()
    assert "XXXX9999" in page and number not in page


def test_nodal_officer_sees_only_the_department_linkages_and_nothing_of_the_rescue(client, family, cast, catalogue):
    case, household, mother = family
    food = _linkage(case, catalogue["nfsa_ration_card"])  # Food and Consumer Protection: the nodal officer's
    pension = _linkage(case, catalogue["laxmibai_pension"], member=mother)  # Social Welfare
    services.document_record(household=household, member=mother, kind="aadhaar", number="9999" * 3, actor=cast.district)
    client.force_login(cast.nodal)

    response = client.get(reverse("schemes:linkage-detail", args=[food.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Test Mother" in page and "34" in page and "Test Tola, ward 3" in page
    assert "XXXX9999" in page, "the documents the linkage needs, masked"
    for secret in (
        "FIR-77/2026",
        "Test Police Station",
        "Test Employer Kiln Owner",
        "Test Brick Works",
        case.case_number,
    ):
        assert secret not in page, secret

    assert client.get(reverse("schemes:linkage-detail", args=[pension.pk])).status_code == 404
    # The documents a linkage needs open through the linkage; the household's own pages stay closed.
    aadhaar = household.documents.get(kind="aadhaar")
    scan_url = reverse("schemes:linkage-document-scan", args=[food.pk, aadhaar.pk])
    assert client.get(scan_url).status_code == 404, "no scan uploaded"
    assert client.get(reverse("schemes:document-scan", args=[aadhaar.pk])).status_code == 403
    response = client.post(
        reverse("schemes:linkage-sanction", args=[pension.pk]),
        {"sanctioned_on": timezone.localdate(), "order": "X"},
    )
    assert response.status_code == 404
    assert client.get(reverse("rescue:case-detail", args=[case.case_number])).status_code in (403, 404)
    assert client.get(reverse("schemes:household-detail", args=[household.pk])).status_code == 403

    queue = client.get(reverse("schemes:linkage-queue")).content.decode()
    assert f"linkages/{food.pk}/" in queue and f"linkages/{pension.pk}/" not in queue
    assert catalogue["laxmibai_pension"].name_en not in queue, "not even in the scheme filter"


def test_a_nodal_officer_assigned_a_district_sees_only_that_district(client, places, cast, catalogue):
    patna_nodal = f.make_user(Role.NODAL, department=cast.nodal.department, district=places.patna)
    gaya_case = f.make_case(district=places.gaya)
    f.make_household(gaya_case)
    gaya = _linkage(gaya_case, catalogue["nfsa_ration_card"])
    patna_case = f.make_case(district=places.patna)
    f.make_household(patna_case)
    patna = _linkage(patna_case, catalogue["nfsa_ration_card"])
    client.force_login(patna_nodal)
    assert client.get(reverse("schemes:linkage-detail", args=[gaya.pk])).status_code == 404
    assert client.get(reverse("schemes:linkage-detail", args=[patna.pk])).status_code == 200


def test_the_nodal_officer_sanctions_and_the_outsider_cannot(client, family, cast, catalogue):
    case, household, _ = family
    linkage = _linkage(
        case, catalogue["nfsa_ration_card"], status=LinkageStatus.APPLIED, applied_on=timezone.localdate()
    )
    client.force_login(cast.outsider)
    url = reverse("schemes:linkage-sanction", args=[linkage.pk])
    assert client.post(url, {"sanctioned_on": timezone.localdate(), "order": "O-1"}).status_code == 404
    client.force_login(cast.nodal)
    response = client.post(url, {"sanctioned_on": timezone.localdate(), "order": "O-1", "amount": ""})
    assert response.status_code == 302
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.SANCTIONED
    assert linkage.events.get(to_status="sanctioned").actor == cast.nodal


def test_a_rejected_step_shows_the_form_again_with_what_was_typed(client, family, cast, catalogue):
    case, _, _ = family
    linkage = _linkage(case, catalogue["nfsa_ration_card"], status=LinkageStatus.DOCUMENTS_COMPLETE)
    client.force_login(cast.district)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("schemes:linkage-apply", args=[linkage.pk]),
        {"applied_on": tomorrow.isoformat(), "application_number": "RTPS-TYPED-1", "office": "Block"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "RTPS-TYPED-1" in page and "cannot be in the future" in page
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.DOCUMENTS_COMPLETE and linkage.application_number == ""
    assert not linkage.events.exists()


def test_steps_from_the_case_page_come_back_to_it(client, family, cast, catalogue):
    case, household, mother = family
    client.force_login(cast.district)
    case_url = reverse("rescue:case-detail", args=[case.case_number])
    response = client.post(
        reverse("schemes:linkage-identify", args=[case.case_number]),
        {"scheme": catalogue["nfsa_ration_card"].pk, "next": case_url},
    )
    assert response.status_code == 302 and response["Location"] == case_url
    linkage = Linkage.objects.get(scheme__code="nfsa_ration_card")
    response = client.post(
        reverse("schemes:linkage-documents", args=[linkage.pk]),
        {"now_held": ["aadhaar"], "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("schemes:linkage-detail", args=[linkage.pk])
    linkage.refresh_from_db()
    assert linkage.status == LinkageStatus.DOCUMENTS_COMPLETE


def test_linkage_page_view_is_logged_by_id_not_name(client, family, cast, catalogue):
    case, _, _ = family
    linkage = _linkage(case, catalogue["nfsa_ration_card"])
    client.force_login(cast.district)
    client.get(reverse("schemes:linkage-detail", args=[linkage.pk]))
    entry = AccessLog.objects.get(object_type="schemes.linkage")
    assert entry.object_id == str(linkage.pk) and case.child.name not in entry.label


def test_the_queue_is_oldest_first_keyset_paginated_and_bounded_in_queries(
    client, places, cast, catalogue, django_assert_max_num_queries
):
    now = timezone.now()
    made = []
    for days in (3, 30, 10, 1):
        case = f.make_case(district=places.gaya)
        f.make_household(case, block=places.bodh_gaya)
        made.append(_linkage(case, catalogue["nfsa_ration_card"], status_changed_at=now - timedelta(days=days)))
    oldest_first = [made[1], made[2], made[0], made[3]]
    rows, cursor = queries.linkage_queue(user=cast.district, limit=2)
    assert rows == oldest_first[:2] and cursor
    rows, cursor = queries.linkage_queue(user=cast.district, limit=2, after=parse_cursor(cursor))
    assert rows == oldest_first[2:] and cursor is None
    assert queries.linkage_queue(user=cast.outsider)[0] == []

    client.force_login(cast.district)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("schemes:linkage-queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(f"linkages/{made[1].pk}/") < page.index(f"linkages/{made[3].pk}/")


def test_household_page_is_bounded_in_queries(client, family, cast, django_assert_max_num_queries):
    case, household, mother = family
    for n in range(3):
        f.make_member(household, relation="sister", sex="f", age_years=10 + n)
    client.force_login(cast.district)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("schemes:household-detail", args=[household.pk])).status_code == 200


def test_catalogue_page_shows_rules_in_words_and_sources(client, cast, catalogue):
    client.force_login(cast.field)
    page = client.get(reverse("schemes:scheme-list")).content.decode()
    assert "Laxmibai Social Security Pension" in page
    assert "Social Welfare Department, Government of Bihar" in page
    assert "A family member: marital status is Widowed" in page


def test_a_queue_holds_the_work_of_the_household_district_the_rescuing_district_keeps_the_case_page(
    client, places, cast, catalogue
):
    # Rescued in Gaya, home in Patna: Patna works the linkage; Gaya still sees it on the case and linkage pages.
    case = f.make_case(district=places.gaya, home_district=places.patna)
    f.make_household(case)
    linkage = _linkage(case, catalogue["nfsa_ration_card"])
    assert queries.linkage_queue(user=cast.outsider)[0] == [linkage]
    assert queries.linkage_queue(user=cast.district)[0] == []
    client.force_login(cast.district)
    assert client.get(reverse("schemes:linkage-detail", args=[linkage.pk])).status_code == 200


def test_moving_a_scheme_to_another_department_moves_its_linkages_for_nodal_queues(rf, family, cast, catalogue):
    from django.contrib.admin.sites import site

    case, _, _ = family
    scheme = catalogue["nfsa_ration_card"]
    linkage = _linkage(case, scheme)
    assert queries.linkage_queue(user=cast.nodal)[0] == [linkage]
    scheme.department = catalogue["pm_jay"].department
    request = rf.post("/")
    request.user = cast.admin
    site._registry[type(scheme)].save_model(request, scheme, form=None, change=True)
    linkage.refresh_from_db()
    assert linkage.department == scheme.department
    assert queries.linkage_queue(user=cast.nodal)[0] == []


def test_village_choices_follow_the_block(client, places, cast):
    from clts.geo.models import Village

    here = Village.objects.create(district=places.gaya, block=places.bodh_gaya, name_en="Test Village A")
    Village.objects.create(district=places.gaya, block=places.sherghati, name_en="Test Village B")
    client.force_login(cast.district)
    page = client.get(reverse("schemes:village-options"), {"block": places.bodh_gaya.pk}).content.decode()
    assert "Test Village A" in page and "Test Village B" not in page
    case = f.make_case(district=places.gaya)
    page = client.get(reverse("schemes:household-create", args=[case.case_number])).content.decode()
    assert f'hx-get="{reverse("schemes:village-options")}"' in page
    response = client.post(
        reverse("schemes:household-create", args=[case.case_number]),
        {
            "district": places.gaya.pk,
            "block": places.bodh_gaya.pk,
            "village": here.pk,
            "area": "rural",
            "ration_card_type": "none",
            "child-parent_status": "both",
        },
    )
    assert response.status_code == 302
    assert Household.objects.get().village == here
