"""The rescue pages as officers use them: registration, the case list, the case page and the workflow forms."""

import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from clts.audit.models import AccessLog
from rescue.models import Case, CaseEvent, Child, Interstate, RescueOperation, Status, TransferKind
from tests import factories as f
from tests.rescue.conftest import local_input, registration_post

pytestmark = pytest.mark.django_db


# --- Registration -----------------------------------------------------------------------------------------------


def test_block_officer_registers_a_rescue_of_two_children_on_one_page(login, cast, places, home):
    client = login(cast.block)
    assert client.get(reverse("rescue:rescue-create")).status_code == 200
    other_state = {"home_state": places.rajasthan.pk, "home_district": None, "home_block": None}
    response = client.post(reverse("rescue:rescue-create"), registration_post(places, cast, [{}, other_state]))
    rescue = RescueOperation.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("rescue:rescue-detail", args=[rescue.pk])
    cases = list(rescue.cases.order_by("id"))
    assert [c.interstate for c in cases] == [Interstate.NONE, Interstate.OUTBOUND]
    assert rescue.sections == ["CALPRA 3", "JJ Act 79"]
    page = client.get(response["Location"])
    for case in cases:
        assert case.case_number in page.text


def test_a_rejected_registration_keeps_everything_typed_and_writes_nothing(login, cast, places, home):
    client = login(cast.block)
    data = registration_post(
        places,
        cast,
        [{"name": "Test Child Kept", "alias": "Test Alias Kept"}, {"name": "Test Adult Refused", "age_years": 19}],
        employer_name="Test Employer Kept",
    )
    response = client.post(reverse("rescue:rescue-create"), data)
    assert response.status_code == 200
    for typed in ("Test Child Kept", "Test Alias Kept", "Test Adult Refused", "Test Employer Kept", "JJ Act 79"):
        assert typed in response.text
    assert "At 19 years this person is an adult" in response.text
    assert 'name="children-TOTAL_FORMS" value="2"' in response.text
    assert not RescueOperation.objects.exists() and not Child.objects.exists() and not Case.objects.exists()


def test_late_production_without_a_reason_is_refused_on_the_form(login, cast, places, home):
    client = login(cast.block)
    rescued_at = timezone.now() - timedelta(days=3)
    data = registration_post(
        places,
        cast,
        [{}],
        rescued_at=local_input(rescued_at),
        produced_at=local_input(rescued_at + timedelta(hours=30)),
    )
    response = client.post(reverse("rescue:rescue-create"), data)
    assert response.status_code == 200
    assert "accepted only with the reason" in response.text
    assert not Case.objects.exists()
    data["rescue-late_reason"] = "No vehicle until the next morning."
    assert client.post(reverse("rescue:rescue-create"), data).status_code == 302
    case = Case.objects.get()
    assert case.production_late and case.status == Status.PRODUCED


def test_an_added_row_left_empty_or_removed_is_not_a_child(login, cast, places, home):
    client = login(cast.block)
    data = registration_post(places, cast, [{}, {"name": "Test Child Removed"}])
    data["children-1-DELETE"] = "on"
    data["children-TOTAL_FORMS"] = 3  # a third row added and left untouched
    data |= {"children-2-home_state": places.bihar.pk, "children-2-education_level": "none"}
    response = client.post(reverse("rescue:rescue-create"), data)
    assert response.status_code == 302
    assert Case.objects.count() == 1 and not Child.objects.filter(name="Test Child Removed").exists()


def test_likely_earlier_records_are_shown_while_registering_and_the_choice_is_kept(login, cast, places, home):
    earlier = f.make_child(name="Laxmi Kumari Test", sex="f", home_district=places.gaya, father_name="Test Father 1")
    f.make_case(district=places.gaya, block=places.bodh_gaya, child=earlier, age_at_rescue=12)
    client = login(cast.block)
    particulars = {
        "prefix": "children-0",
        "children-0-name": "लक्ष्मी कुमारी टेस्ट",
        "children-0-sex": "f",
        "children-0-age_years": "12",
        "children-0-father_name": "Test Father 1",
    }
    # A GET would carry the name in its URL: refused.
    assert client.get(reverse("rescue:child-matches"), particulars).status_code == 405
    response = client.post(reverse("rescue:child-matches"), particulars, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Laxmi Kumari Test" in response.text
    # The record is named by a token, never by its id.
    token = re.search(r'name="children-0-match" value="([0-9a-f]{24})"', response.text).group(1)
    assert f'value="{earlier.pk}"' not in response.text
    # Sent without a choice, the form comes back asking for one, with the records still listed.
    data = registration_post(places, cast, [{"name": "Lakshmi Kumari Test", "sex": "f"}])
    response = client.post(reverse("rescue:rescue-create"), data)
    assert response.status_code == 200 and "choose the right one" in response.text
    assert f'value="{token}"' in response.text
    # A record id typed in place of the token is refused.
    data["children-0-match"] = str(earlier.pk)
    assert client.post(reverse("rescue:rescue-create"), data).status_code == 200
    data["children-0-match"] = token
    assert client.post(reverse("rescue:rescue-create"), data).status_code == 302
    assert Case.objects.filter(child=earlier).count() == 2


def test_block_options_list_the_blocks_of_the_chosen_district(login, cast, places):
    client = login(cast.block)
    response = client.get(
        reverse("rescue:block-options"), {"from": "rescue-district", "rescue-district": places.gaya.pk}
    )
    assert "Bodh Gaya" in response.text and "Sherghati" in response.text and "Phulwari" not in response.text


# --- The case list ----------------------------------------------------------------------------------------------


def test_the_list_never_shows_another_districts_case_and_shows_interstate_cases_to_both(login, cast, places):
    gaya_case = f.make_case(district=places.gaya)
    patna_case = f.make_case(district=places.patna)
    shared = f.make_case(district=places.gaya, home_district=places.patna)
    client = login(cast.outsider)
    text = client.get(reverse("rescue:case-list")).text
    assert patna_case.case_number in text and shared.case_number in text and gaya_case.case_number not in text
    # Searching by the other district's case number finds nothing either.
    assert client.post(reverse("rescue:case-list"), {"q": gaya_case.case_number}).context["page"].cases == []
    client = login(cast.district)
    text = client.get(reverse("rescue:case-list")).text
    assert gaya_case.case_number in text and shared.case_number in text and patna_case.case_number not in text


def test_an_inbound_interstate_case_is_seen_by_the_home_district(login, cast, places):
    rescue = f.make_rescue(district=places.patna, state=places.rajasthan)
    inbound = f.make_case(district=None, home_district=places.gaya, rescue=rescue, interstate=Interstate.INBOUND)
    assert inbound.case_number in login(cast.district).get(reverse("rescue:case-list")).text
    assert inbound.case_number not in login(cast.outsider).get(reverse("rescue:case-list")).text


def test_the_list_filters(login, cast, places):
    late = f.make_case(district=places.gaya, production_late=True, late_reason="Test")
    interstate = f.make_case(district=places.gaya, interstate=Interstate.OUTBOUND)
    restored = f.make_case(district=places.gaya, status=Status.RESTORED)
    retrafficked = f.make_case(district=places.gaya, status=Status.RETRAFFICKED)
    old = f.make_case(district=places.gaya, rescued_on=timezone.localdate() - timedelta(days=400))
    sherghati = f.make_case(district=places.gaya, block=places.sherghati)
    pending = f.make_case(district=places.gaya, home_district=places.patna)
    f.make_transfer(pending)
    client = login(cast.district)

    def listed(**params) -> set[str]:
        page = client.get(reverse("rescue:case-list"), params).context["page"]
        return {case.case_number for case in page.cases}

    assert listed(late="on") == {late.case_number}
    assert listed(interstate="outbound") == {interstate.case_number}
    assert listed(status="restored") == {restored.case_number}
    assert listed(retrafficked="on") == {retrafficked.case_number}
    assert listed(until=(timezone.localdate() - timedelta(days=300)).isoformat()) == {old.case_number}
    assert listed(block=places.sherghati.pk, district=places.gaya.pk) == {sherghati.case_number}
    assert listed(district=places.patna.pk) == {pending.case_number}
    assert listed(transfer_pending="on") == {pending.case_number}


def test_keyset_pages_cover_every_case_once_in_order(login, cast, places, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(120):
        f.make_case(district=places.gaya, rescued_on=today - timedelta(days=n // 3))
    client = login(cast.district)
    seen, params, pages = [], {}, 0
    while True:
        with django_assert_max_num_queries(12):
            response = client.get(reverse("rescue:case-list"), params)
        page = response.context["page"]
        seen.extend((case.rescued_on, case.pk) for case in page.cases)
        pages += 1
        if not page.next_cursor:
            break
        params = {"after": page.next_cursor}
    assert pages == 3 and len(seen) == 120 and len(set(seen)) == 120
    assert seen == sorted(seen, reverse=True)
    # And back: the page before the last one is the second page.
    back = client.get(reverse("rescue:case-list"), {"before": response.context["page"].previous_cursor})
    assert [(c.rescued_on, c.pk) for c in back.context["page"].cases] == seen[50:100]


def test_search_by_case_number_or_by_a_spelling_variant_of_the_name(login, cast, places):
    rafiq = f.make_case(district=places.gaya, child=f.make_child(name="Mohd Rafiq Test", home_district=places.gaya))
    laxmi = f.make_case(district=places.gaya, child=f.make_child(name="Laxmi Kumari Test", home_district=places.gaya))
    client = login(cast.district)

    def found(query) -> list[str]:
        return [c.case_number for c in client.post(reverse("rescue:case-list"), {"q": query}).context["page"].cases]

    assert found(laxmi.case_number) == [laxmi.case_number]
    assert found(laxmi.case_number.lower()) == [laxmi.case_number]
    assert found("Mohammad Rafiq") == [rafiq.case_number]
    assert found("लक्ष्मी कुमारी") == [laxmi.case_number]
    assert found("Rahul Paswan") == []


def test_a_name_searched_never_reaches_a_url(login, cast, places):
    laxmi = f.make_case(district=places.gaya, child=f.make_child(name="Laxmi Kumari Test", home_district=places.gaya))
    client = login(cast.district)
    response = client.post(reverse("rescue:case-list"), {"q": "Laxmi Kumari", "status": ""}, HTTP_HX_REQUEST="true")
    assert [case.case_number for case in response.context["page"].cases] == [laxmi.case_number]
    assert response["HX-Push-Url"] == reverse("rescue:case-list")
    assert "Laxmi" not in response.text.split("<tbody>")[0].split("case-results")[-1]  # not echoed into links
    # Filters without a search go to a GET URL (they can be paged and kept); a name in a URL is ignored.
    response = client.post(reverse("rescue:case-list"), {"q": " ", "status": "in_shelter"})
    assert response.status_code == 302 and response["Location"].endswith("?status=in_shelter")
    response = client.get(reverse("rescue:case-list"), {"q": "Laxmi Kumari"})
    assert not response.context["page"].searched and 'value="Laxmi' not in response.text


# --- The case page ----------------------------------------------------------------------------------------------


def test_another_districts_officer_gets_404_on_the_case(login, cast, places):
    case = f.make_case(district=places.gaya)
    assert login(cast.outsider).get(reverse("rescue:case-detail", args=[case.case_number])).status_code == 404
    assert login(cast.district).get(reverse("rescue:case-detail", args=[case.case_number])).status_code == 200


def test_a_transferred_case_is_seen_by_both_districts(login, cast, places):
    case = f.make_case(district=places.gaya, home_district=places.patna)
    f.make_transfer(case)
    for officer in (cast.district, cast.outsider):
        response = login(officer).get(reverse("rescue:case-detail", args=[case.case_number]))
        assert response.status_code == 200 and "Pending" in response.text


def test_the_case_page_shows_the_timeline_and_records_the_view(login, cast, places, django_assert_max_num_queries):
    case = f.make_case(district=places.gaya)
    f.make_event(case, kind=CaseEvent.Kind.REGISTERED, reason="Test registered event")
    f.make_event(case, kind=CaseEvent.Kind.NOTE, reason="Test note event")
    client = login(cast.district)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("rescue:case-detail", args=[case.case_number]))
    assert "Test registered event" in response.text and "Test note event" in response.text
    log = AccessLog.objects.get(user=cast.district)
    assert (log.action, log.object_id, log.label) == ("view", str(case.pk), case.case_number)


def case_panel(*, request, case):
    return {"template": "rescue/block_options.html", "context": {"blocks": [case.block]}}


def test_the_case_page_includes_the_panels_of_other_apps(login, cast, places, settings):
    settings.CASE_PAGE_PANELS = ["tests.rescue.test_views.case_panel"]
    case = f.make_case(district=places.gaya, block=places.sherghati)
    response = login(cast.district).get(reverse("rescue:case-detail", args=[case.case_number]))
    assert response.status_code == 200 and f'<option value="{places.sherghati.pk}">' in response.text


# --- Workflow forms ---------------------------------------------------------------------------------------------


def test_the_district_officer_changes_the_status_with_a_reason(login, cast, places):
    case = f.make_case(district=places.gaya, status=Status.FOLLOW_UP, restored_at=timezone.now())
    client = login(cast.district)
    url = reverse("rescue:case-transition", args=[case.case_number])
    page = client.get(url)
    assert "Re-trafficked" in page.text and "Closed" not in page.text  # closure goes through rehabilitation
    response = client.post(url, {"to": "lost_contact", "reason": ""})
    assert response.status_code == 200
    response = client.post(url, {"to": "lost_contact", "reason": "Family moved away"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.LOST_CONTACT


def test_transfer_to_another_district_and_its_acknowledgment(login, cast, places, home):
    case = f.make_case(district=places.gaya, status=Status.IN_SHELTER)
    client = login(cast.district)
    response = client.post(
        reverse("rescue:case-transfer", args=[case.case_number]),
        {"to_district": places.patna.pk, "reason": "Family traced in Patna"},
    )
    assert response.status_code == 302
    transfer = case.transfers.get()
    url = reverse("rescue:transfer-acknowledge", args=[case.case_number, transfer.pk])
    client.post(url)
    assert case.transfers.get().is_pending  # only the receiving district acknowledges
    client = login(cast.outsider)
    assert "Acknowledge receipt" in client.get(reverse("rescue:transfer-list")).text
    assert client.post(url).status_code == 302
    assert not case.transfers.get().is_pending


def test_repatriation_steps_are_recorded_on_the_page(login, cast, places, home):
    rescue = f.make_rescue(district=places.gaya, state=places.rajasthan)
    case = f.make_case(district=None, home_district=places.gaya, rescue=rescue, interstate=Interstate.INBOUND)
    transfer = f.make_transfer(case, kind=TransferKind.REPATRIATION, from_state=places.rajasthan, from_district=None)
    client = login(cast.district)
    url = reverse("rescue:transfer-step", args=[case.case_number, transfer.pk])
    assert client.post(url, {"step": "escort"}).status_code == 200  # the escort must be named
    assert client.post(url, {"step": "escort", "escort_name": "Test Escort", "travel_mode": "Train"}).status_code == 302
    response = client.post(url, {"step": "handed_over", "home_cwc": cast.cwc_institution.pk})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert not transfer.is_pending and transfer.escort_name == "Test Escort"
    assert Case.objects.get(pk=case.pk).cwc == cast.cwc_institution


def test_the_photo_is_served_only_through_access_and_named_by_case_number(login, cast, places, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    case = f.make_case(district=places.gaya)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "grey").save(buffer, format="PNG")
    case.child.photo.save("Test Child upload.png", ContentFile(buffer.getvalue()), save=True)
    assert "Test Child" not in case.child.photo.name  # stored under a random name

    url = reverse("rescue:child-photo", args=[case.case_number])
    response = login(cast.district).get(url)
    assert response.status_code == 200
    assert f'filename="{case.case_number}-photo.png"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    assert AccessLog.objects.filter(user=cast.district, label=case.case_number, object_type="rescue.child").exists()
    assert login(cast.outsider).get(url).status_code == 404
    assert (
        str(settings.MEDIA_URL)
        not in login(cast.district).get(reverse("rescue:case-detail", args=[case.case_number])).content.decode()
    )


def test_a_registration_with_200_rows_is_refused_at_once_before_any_matching(login, cast, places, home):
    import time

    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from rescue.forms import ChildForm

    # Namesakes everywhere: were the rows matched, each would cost a search.
    for n in range(20):
        f.make_case(district=places.gaya, child=f.make_child(name=f"Test Child {n}", home_district=places.gaya))
    client = login(cast.block)
    client.get(reverse("rescue:rescue-create"))  # templates loaded: the first request of a process is not timed

    def timed_post(data):
        # The body is encoded beforehand, and CPU time is measured: what the server spends, not the test client, nor
        # the wait for a CPU on a shared machine.
        body = encode_multipart(BOUNDARY, data)
        started = time.process_time()
        response = client.generic("POST", reverse("rescue:rescue-create"), body, content_type=MULTIPART_CONTENT)
        return response, time.process_time() - started

    response, spent = timed_post(registration_post(places, cast, [{"name": f"Test Child {n}"} for n in range(200)]))
    assert response.status_code == 200
    assert "At most 50 children can be registered in one form" in response.text
    assert response.context["form"]["establishment_name"].value() == "Test brick kiln"  # the rescue is kept
    assert "Earlier records that may be this child" not in response.text
    assert spent < 1.0, f"refused in {spent:.2f} s of CPU"
    assert Case.objects.count() == 20 and not RescueOperation.objects.filter(created_by=cast.block).exists()
    # Every field of 200 full rows is more than any form sends: Django refuses the request before the view.
    every_field = list(ChildForm(home=home).fields)
    full = registration_post(places, cast, [{"name": f"Test Child {n}"} for n in range(200)])
    full |= {f"children-{n}-{field}": "" for n in range(200) for field in every_field if field != "name"}
    response, spent = timed_post(full)
    assert response.status_code == 400 and spent < 1.0
