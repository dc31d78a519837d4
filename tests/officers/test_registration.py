"""Issue 11.6: registration on a phone: every error in one round, the Aadhaar number as printed on the card, the
officer's district and block pre-filled, and an error summary linking to each field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rescue.models import Case
from tests.rescue.conftest import home, local_input, registration_post  # noqa: F401  (home: a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("home")]
URL = "rescue:rescue-create"


def test_the_form_and_the_registration_rules_speak_in_one_round(client, places, cast):
    """A field the form refuses (no industry) and a rule of the registration (produced 30 hours after the rescue
    without a reason) are both reported on the first submit."""
    client.force_login(cast.block)
    rescued = timezone.now() - timedelta(hours=40)
    data = registration_post(
        places,
        cast,
        [{}],
        rescued_at=local_input(rescued),
        produced_at=local_input(rescued + timedelta(hours=30)),
        industry="",
    )
    body = client.post(reverse(URL), data).content.decode()
    assert "This field is required." in body
    assert "Production more than 24 hours after the rescue is accepted only with the reason" in body
    assert not Case.objects.exists()
    # The summary at the top links to each field.
    assert 'href="#id_rescue-industry"' in body and 'href="#id_rescue-late_reason"' in body


@pytest.mark.parametrize("typed", ["0000 0000 0123", "0000-0000-0123", " 000000000123 "])
def test_the_aadhaar_number_is_taken_as_printed(client, places, cast, typed):
    client.force_login(cast.block)
    response = client.post(reverse(URL), registration_post(places, cast, [{"aadhaar": typed}]))
    assert response.status_code == 302
    assert Case.objects.get().child.aadhaar_last4 == "0123"


def test_a_letter_in_the_aadhaar_number_is_named(client, places, cast):
    client.force_login(cast.block)
    body = client.post(reverse(URL), registration_post(places, cast, [{"aadhaar": "0000 0000 O123"}])).content
    assert "An Aadhaar number has only digits: “O” is not one." in body.decode()
    # What was typed stays in the field, visible (not a password field).
    assert 'type="text" name="children-0-aadhaar" value="0000 0000 O123"' in body.decode()


def test_district_and_block_come_from_the_officers_jurisdiction(client, cast, places):
    client.force_login(cast.block)
    form = client.get(reverse(URL)).context["form"]
    assert form["district"].value() == places.gaya.pk
    assert form["block"].value() == places.bodh_gaya.pk


def test_switching_language_keeps_the_half_filled_form(client, places, cast):
    client.force_login(cast.block)
    data = registration_post(places, cast, [{"name": "Test Half Filled", "father_name": "Test Father Half"}])
    data["rescue-establishment_name"] = "Test kiln typed before switching"
    data["switch_language"] = "hi"
    response = client.post(reverse(URL), data)
    body = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert 'value="Test Half Filled"' in body and 'value="Test kiln typed before switching"' in body
    assert "रेस्क्यू दर्ज करें" in body  # the page is in Hindi now
    assert "error-summary" not in body and "is-invalid" not in body
    cast.block.refresh_from_db()
    assert cast.block.language == "hi"
