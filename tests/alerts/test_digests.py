"""The daily digest: one e-mail per user per day in the user's language, case numbers and links, never a child's
name, village or photo; the SMS carries counts and case numbers only; escalation copies the supervisor."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clts.accounts.models import User
from clts.alerts import services, sms
from clts.alerts.models import DigestSent
from tests.alerts.conftest import missed_production

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    settings.SMS_BACKEND = "clts.alerts.sms.MemorySmsBackend"
    settings.SITE_URL = "https://clts.example.org"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _with_contacts(user, *, language="en", phone="9000000001"):
    User.objects.filter(pk=user.pk).update(email=f"{user.username}@example.org", phone=phone, language=language)
    user.refresh_from_db()
    return user


def test_one_digest_per_user_per_day_with_case_numbers_and_no_child_details(rules, cast, places):
    district = _with_contacts(cast.district)
    _with_contacts(cast.cwc, phone="")
    case = missed_production(places, cast)
    case.child.home_village_text = "Testvillage Amrapur"
    case.child.save()
    services.scan_run()
    assert services.digests_send() == 2
    assert services.digests_send() == 0  # a second run the same day sends nothing
    messages = {message.to[0]: message for message in mail.outbox}
    assert set(messages) == {district.email, cast.cwc.email}
    body = messages[district.email].body
    assert case.case_number in body
    assert f"https://clts.example.org/cases/{case.case_number}/" in body
    assert [line for line in body.splitlines() if line.startswith("- ")] == [
        f"- {case.case_number} · Production before the CWC: Produce the child before the CWC and record it"
    ]
    assert "Production before the CWC" in body and "overdue by 0 days" in body
    cwc_body = messages[cast.cwc.email].body
    assert f"https://clts.example.org/protection/cases/{case.case_number}/cwc-order/" in cwc_body
    for text in (body, cwc_body, messages[district.email].subject, *[text for _to, text in sms.outbox]):
        assert case.child.name not in text and "Amrapur" not in text and "photo" not in text.lower()
    # The SMS: the district officer has a phone and an overdue item; counts and the case number only.
    assert sms.outbox == [
        (district.phone, f"CLTS: 1 overdue, 0 due soon. {case.case_number} https://clts.example.org/alerts/")
    ]
    digest = DigestSent.objects.get(user=district)
    assert digest.emailed and digest.texted and digest.overdue == 1 and len(digest.alert_ids) == 1


def test_the_digest_is_in_the_users_language(rules, cast, places):
    district = _with_contacts(cast.district, language="hi", phone="")
    case = missed_production(places, cast)
    services.scan_run()
    services.digests_send()
    message = next(m for m in mail.outbox if m.to == [district.email])
    assert "बाल कल्याण समिति के समक्ष प्रस्तुति" in message.body  # the rule's Hindi name
    assert case.case_number in message.body
    assert "अतिदेय" in message.subject


def test_an_acknowledged_item_leaves_the_digest(rules, cast, places):
    _with_contacts(cast.district)
    missed_production(places, cast)
    services.scan_run()
    alert = services.scan.Alert.objects.get()
    services.alert_acknowledge(alert=alert, actor=cast.district, note="Test: produced today")
    services.digests_send()
    assert [m.to for m in mail.outbox] == []


def test_escalation_copies_the_state_in_its_digest(rules, cast, places):
    state = _with_contacts(cast.state)
    case = missed_production(places, cast, hours_ago=24 * 5)
    services.scan_run()
    services.digests_send()
    message = next(m for m in mail.outbox if m.to == [state.email])
    assert case.case_number in message.body and "escalated: State" in message.body


def test_a_stale_claim_is_taken_over_but_a_fresh_one_is_not(rules, cast, places):
    district = _with_contacts(cast.district, phone="")
    missed_production(places, cast)
    services.scan_run()
    day = timezone.localdate()
    claim = DigestSent.objects.create(user=district, day=day, claimed_at=timezone.now())
    services.digests_send()
    assert mail.outbox == []  # someone else is sending it right now
    DigestSent.objects.filter(pk=claim.pk).update(claimed_at=timezone.now() - timedelta(hours=1))
    services.digests_send()
    assert [m.to for m in mail.outbox] == [[district.email]]
