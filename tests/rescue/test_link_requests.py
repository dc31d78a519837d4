"""A child recorded in another district: registration files a link request instead of taking the record over.

The takeover of issue 9, replayed: Patna's district officer types a Gaya child's name, picks the candidate and
submits. Before, that linked the new Patna case to the Gaya child, marked the Gaya case re-trafficked with the Patna
officer as actor, overwrote the child's home district and opened the child's household and documents to Patna.
Now it ends in a pending link request that Gaya's district officer decides, and nothing of Gaya's changes.
"""

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from rescue import candidates, matching, queries, services
from rescue.models import Case, CaseEvent, Child, LinkRequest, LinkRequestStatus, Status
from schemes.models import Document, Household, HouseholdChild, HouseholdMember
from tests import factories as f
from tests.rescue.conftest import child_data, registration_post, rescue_data

pytestmark = pytest.mark.django_db

# Ids far from anything else on the pages, so that finding one in the HTML means the id leaked.
EARLIER_CHILD_ID = 987_654_321
EARLIER_CASE_ID = 876_543_219
CANARY_NAME = "Test Sonu Gayawala"
FATHER = "Test Father Ramdeo"
VILLAGE = "Test Village Barachatti"


@pytest.fixture
def gaya_record(cast, places, home):
    """A Gaya child restored to the family a year ago, with a household, a member and a scanned document."""
    restored = timezone.now() - timedelta(days=365)
    child = f.make_child(
        id=EARLIER_CHILD_ID,
        name=CANARY_NAME,
        father_name=FATHER,
        home_district=places.gaya,
        home_block=places.bodh_gaya,
        home_village_text=VILLAGE,
        age_years=11,
        aadhaar_last4="4321",
    )
    case = f.make_case_at(
        Status.FOLLOW_UP,
        cast,
        places,
        id=EARLIER_CASE_ID,
        child=child,
        age_at_rescue=11,
        rescued_on=timezone.localdate() - timedelta(days=400),
        restored_at=restored,
    )
    household = f.make_household(case, block=places.bodh_gaya, phone="9000000001", ration_card_last4="1111")
    member = f.make_member(household, name="Test Mother Gayawali")
    Document.objects.create(
        household=household,
        member=member,
        kind="ration_card",
        number_last4="1111",
        scan=ContentFile(b"%PDF-1.4 test\n", name="scan.pdf"),
        recorded_by=cast.district,
    )
    return case


def _snapshot(case: Case) -> dict:
    """Every row of the earlier child, case, household and documents, as stored."""
    household_ids = list(HouseholdChild.objects.filter(child=case.child).values_list("household_id", flat=True))
    return {
        "child": list(Child.objects.filter(pk=case.child_id).values()),
        "cases": list(Case.objects.filter(child=case.child_id).order_by("pk").values()),
        "events": list(CaseEvent.objects.filter(case__child=case.child_id).order_by("pk").values()),
        "households": list(Household.objects.filter(pk__in=household_ids).values()),
        "household_children": list(HouseholdChild.objects.filter(household__in=household_ids).values()),
        "members": list(HouseholdMember.objects.filter(household__in=household_ids).order_by("pk").values()),
        "documents": list(Document.objects.filter(household__in=household_ids).order_by("pk").values()),
    }


def _typed(prefix="children-0") -> dict:
    return {
        f"{prefix}-name": CANARY_NAME,
        f"{prefix}-father_name": FATHER,
        f"{prefix}-home_village_text": VILLAGE,
        f"{prefix}-age_years": "12",
        f"{prefix}-sex": "m",
    }


def _patna_registration(places, cast, **child) -> dict:
    values = {
        "name": CANARY_NAME,
        "father_name": FATHER,
        "home_village_text": VILLAGE,
        "home_district": places.patna.pk,
        "home_block": places.phulwari.pk,
    } | child
    return registration_post(
        places, cast, [values], district=places.patna.pk, block=places.phulwari.pk, cwc=cast.patna_cwc.pk
    )


def test_the_takeover_replayed_ends_in_a_pending_request_and_changes_nothing_of_gaya(client, cast, places, gaya_record):
    before = _snapshot(gaya_record)
    rate_before = queries.retrafficking_rate(user=cast.district)
    client.force_login(cast.outsider)

    # 1. Patna's officer types the Gaya child's name, father, village and age.
    fragment = client.post(reverse("rescue:child-matches"), {"prefix": "children-0", **_typed()}).text
    assert "A possible earlier record in another area" in fragment and "Strong match" in fragment
    # Nothing of the record: no name beyond what was typed, case number, date, district, evidence or record id.
    for leak in (
        gaya_record.case_number,
        str(EARLIER_CHILD_ID),
        str(EARLIER_CASE_ID),
        gaya_record.rescued_on.isoformat(),
        "Gaya",
        "गया",
        "Bodh",
        "alike",
        "Age fits",
        "Same village",
        "4321",
        str(Status.FOLLOW_UP.label),
    ):
        assert leak not in fragment, leak
    token = re.search(r'name="children-0-match" value="([0-9a-f]{24})"', fragment).group(1)

    # 2. ... picks the candidate and registers a Patna rescue.
    data = _patna_registration(places, cast) | {"children-0-match": token}
    response = client.post(reverse("rescue:rescue-create"), data)
    assert response.status_code == 302, response.context and response.context["children"].errors
    new_case = Case.objects.get(rescue__district=places.patna)

    # 3. A pending request, and a new child record: the Gaya record is not linked or touched.
    request = LinkRequest.objects.get()
    assert (request.new_case, request.earlier_child_id, request.status) == (new_case, EARLIER_CHILD_ID, "pending")
    assert request.earlier_case == gaya_record and request.filed_by == cast.outsider
    assert new_case.child_id != EARLIER_CHILD_ID and new_case.previous_case is None
    assert _snapshot(gaya_record) == before
    assert queries.retrafficking_rate(user=cast.district) == rate_before

    # 4. Patna still cannot open anything of Gaya's, and its case says only that a request is pending.
    assert client.get(reverse("rescue:case-detail", args=[gaya_record.case_number])).status_code == 404
    household = Household.objects.get(children__child_id=EARLIER_CHILD_ID)
    assert client.get(reverse("schemes:household-detail", args=[household.pk])).status_code == 404
    assert not Child.objects.visible_to(cast.outsider).filter(pk=EARLIER_CHILD_ID).exists()
    page = client.get(reverse("rescue:case-detail", args=[new_case.case_number])).text
    assert "asked to compare the records" in page and gaya_record.case_number not in page
    assert client.get(reverse("rescue:link-request-detail", args=[request.pk])).status_code == 404
    assert client.get(reverse("rescue:link-request-list")).status_code == 200
    assert gaya_record.case_number not in client.get(reverse("rescue:link-request-list")).text

    # 5. Gaya's district officer finds it in the queue and compares both records side by side.
    client.force_login(cast.district)
    queue = client.get(reverse("rescue:link-request-list")).text
    assert gaya_record.case_number in queue and "Compare and decide" in queue
    detail = client.get(reverse("rescue:link-request-detail", args=[request.pk]))
    compared = {row.field: row for row in detail.context["compared"]}
    assert compared["home"].differs and not compared["name"].differs and not compared["father_name"].differs
    assert "table-warning" in detail.text

    # 6. Confirms: the cases are linked, the earlier case counts as re-trafficked, only the chosen field changes.
    response = client.post(
        reverse("rescue:link-request-decide", args=[request.pk]),
        {"decision": "confirm", "update_fields": ["home"], "note": "Same child: photo and father match."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    new_case.refresh_from_db()
    gaya_record.refresh_from_db()
    assert request.status == LinkRequestStatus.CONFIRMED and request.decided_by == cast.district
    assert new_case.previous_case == gaya_record and gaya_record.status == Status.RETRAFFICKED
    assert gaya_record.events.get(to_status=Status.RETRAFFICKED).actor == cast.district
    child = Child.objects.get(pk=EARLIER_CHILD_ID)
    assert child.home_district == places.patna and child.home_village_text == VILLAGE
    assert child.name == CANARY_NAME and child.aadhaar_last4 == "4321"
    rate = queries.retrafficking_rate(user=cast.district)
    assert rate["retrafficked"] == rate_before["retrafficked"] + 1 and rate["restored"] == rate_before["restored"]


def test_a_rejected_pair_is_never_raised_again(client, cast, places, gaya_record):
    client.force_login(cast.outsider)
    fragment = client.post(reverse("rescue:child-matches"), {"prefix": "children-0", **_typed()}).text
    token = re.search(r'value="([0-9a-f]{24})"', fragment).group(1)
    client.post(reverse("rescue:rescue-create"), _patna_registration(places, cast) | {"children-0-match": token})
    request = LinkRequest.objects.get()
    before = _snapshot(gaya_record)

    client.force_login(cast.district)
    response = client.post(
        reverse("rescue:link-request-decide", args=[request.pk]), {"decision": "reject", "note": "Other family."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == LinkRequestStatus.REJECTED and _snapshot(gaya_record) == before
    assert request.new_case.events.filter(kind=CaseEvent.Kind.LINK_REJECTED).exists()
    # A decided request cannot be decided again.
    again = client.post(reverse("rescue:link-request-decide", args=[request.pk]), {"decision": "confirm"}, follow=True)
    assert "already been decided" in again.text and LinkRequest.objects.get().status == LinkRequestStatus.REJECTED
    # Matching the new child's record leaves the rejected earlier record out.
    new_child = request.new_case.child
    particulars = matching.Particulars(name=CANARY_NAME, father_name=FATHER, village=VILLAGE, age=12, sex="m")
    everyone = candidates.candidates_for(particulars=particulars, user=cast.state)
    assert EARLIER_CHILD_ID in {c.child.pk for c in everyone}
    paired = candidates.candidates_for(particulars=particulars, user=cast.state, child=new_child)
    assert EARLIER_CHILD_ID not in {c.child.pk for c in paired} and new_child.pk not in {c.child.pk for c in paired}
    # Patna registers the same child again: its own record is offered, Gaya's (found different) is not raised.
    client.force_login(cast.outsider)
    fragment = client.post(reverse("rescue:child-matches"), {"prefix": "children-0", **_typed()}).text
    assert CANARY_NAME in fragment and "A possible earlier record in another area" not in fragment


def test_who_sees_and_decides_a_request(client, cast, places, gaya_record):
    new_case = f.make_case(district=places.patna, home_district=places.patna)
    request = f.make_link_request(new_case, gaya_record, filed_by=cast.outsider)
    detail = reverse("rescue:link-request-detail", args=[request.pk])
    decide = reverse("rescue:link-request-decide", args=[request.pk])
    nalanda = f.make_user("district", district=f.make_district(name_en="Nalanda", state=places.bihar))
    for user, expected in ((cast.district, 200), (cast.state, 200), (cast.outsider, 404), (nalanda, 404)):
        client.force_login(user)
        assert client.get(detail).status_code == expected, user
    # The state sees every request but does not decide; the block and the CWC do not see them at all.
    client.force_login(cast.state)
    assert 'id="link-decision"' not in client.get(detail).text
    assert client.post(decide, {"decision": "confirm"}).status_code == 403
    for user in (cast.block, cast.cwc, cast.cci, cast.field, cast.nodal):
        client.force_login(user)
        assert client.get(detail).status_code == 403
    client.force_login(nalanda)
    assert client.post(decide, {"decision": "confirm"}).status_code == 404
    assert LinkRequest.objects.get().status == "pending"


def test_a_record_shared_for_reading_is_shown_but_choosing_it_asks_the_holder(cast, places, gaya_record):
    """A per-case grant reads; it never lets registration write onto the record."""
    from guardian.shortcuts import assign_perm

    assign_perm("view_case", cast.outsider, gaya_record)
    patna_cwc = cast.patna_cwc
    particulars = matching.Particulars(name=CANARY_NAME, father_name=FATHER, village=VILLAGE, age=12, sex="m")
    [candidate] = candidates.candidates_for(particulars=particulars, user=cast.outsider)
    assert candidate.visible and not candidate.linkable
    before = _snapshot(gaya_record)
    services.rescue_register(
        actor=cast.outsider,
        rescue_data=rescue_data(places, district=places.patna, block=places.phulwari, cwc=patna_cwc),
        children_data=[
            child_data(
                places,
                name=CANARY_NAME,
                father_name=FATHER,
                home_village_text=VILLAGE,
                home_district=places.patna,
                home_block=places.phulwari,
                link_child=gaya_record.child,
            )
        ],
    )
    assert LinkRequest.objects.get().earlier_child == gaya_record.child
    assert _snapshot(gaya_record) == before


def test_a_candidate_id_from_elsewhere_is_refused(client, cast, places, gaya_record):
    client.force_login(cast.outsider)
    for forged in (str(EARLIER_CHILD_ID), "0" * 24, candidates.token_for(cast.district, EARLIER_CHILD_ID)):
        response = client.post(
            reverse("rescue:rescue-create"), _patna_registration(places, cast) | {"children-0-match": forged}
        )
        assert response.status_code == 200
        assert not Case.objects.filter(rescue__district=places.patna).exists() and not LinkRequest.objects.exists()


def test_the_holder_updates_only_fields_that_differ(cast, places, gaya_record):
    new_case = f.make_case(
        district=places.patna,
        child=f.make_child(name=CANARY_NAME, father_name=FATHER, home_district=places.patna),
    )
    request = f.make_link_request(new_case, gaya_record, filed_by=cast.outsider)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.link_request_confirm(request=request, actor=cast.district, update_fields=["name"])
    with pytest.raises(ValidationError):
        services.link_request_confirm(request=request, actor=cast.district, update_fields=["aadhaar_hash"])
    assert LinkRequest.objects.get().status == "pending"


def test_a_rescue_may_name_only_a_cwc_of_its_own_district(cast, places, home):
    from django.core.exceptions import ValidationError

    patna_cwc = cast.patna_cwc
    with pytest.raises(ValidationError) as refused:
        services.rescue_register(
            actor=cast.district,
            rescue_data=rescue_data(places, cwc=patna_cwc, produced_at=timezone.now() - timedelta(hours=1)),
            children_data=[child_data(places)],
        )
    assert "rescue.cwc" in refused.value.message_dict
    assert not Case.objects.exists()


def test_the_queue_costs_the_same_for_thirty_requests(client, cast, places, gaya_record, django_assert_max_num_queries):
    for n in range(30):
        f.make_link_request(
            f.make_case(district=places.patna), gaya_record, filed_by=cast.outsider, strength="possible", score=50 + n
        )
    client.force_login(cast.district)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("rescue:link-request-list"))
    assert response.status_code == 200 and len(response.context["rows"]) == 30


def test_the_latest_other_case_is_the_last_rescued_but_the_one_linking():
    """The case a new one links to: the latest by rescue date (ties: the later record), never the new case."""
    from rescue.services.links import latest_other_case_locked

    district = f.make_district()
    child = f.make_child(home_district=district)
    today = timezone.localdate()
    older = f.make_case(child=child, district=district, rescued_on=today - timedelta(days=300))
    later = f.make_case(child=child, district=district, rescued_on=today - timedelta(days=30))
    newest = f.make_case(child=child, district=district, rescued_on=today)
    assert latest_other_case_locked(child_id=child.pk, besides=newest) == later
    assert latest_other_case_locked(child_id=child.pk, besides=later) == newest
    assert latest_other_case_locked(child_id=f.make_child().pk, besides=older) is None
