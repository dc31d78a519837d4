"""A police station in Patna reports a child missing on a phone; the matching engine (through the Celery task, run
eagerly here) pairs the report with a child in Gaya's children's home; Gaya's CWC member compares both records side
by side on a phone and confirms; the station sees where the child is, and Patna's compliance page shows the
station's entry. Every page fits a 360 px screen. CLTS_SCREENSHOTS=1 keeps screenshots in test-results/."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from clts.accounts.roles import Role
from clts.celery import app
from tests import factories as f
from trackchild_sync import services, tasks
from trackchild_sync.models import MatchPair, MissingReport

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(__file__).parents[2] / "test-results"


def _check(page, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
    if os.environ.get("CLTS_SCREENSHOTS"):
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


@pytest.fixture
def eager_tasks():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def test_a_police_report_is_matched_to_a_cci_resident_and_the_cwc_confirms_on_a_phone(
    browser, live_server, cast, places, sign_in, eager_tasks
):
    today = timezone.localdate()
    services.residence_admit(
        actor=cast.cci,
        institution=cast.cci_institution,
        cwc=cast.cwc_institution,
        ordered_on=today - timedelta(days=12),
        admitted_on=today - timedelta(days=12),
        name="Test Child Sonu Kumar",
        sex="m",
        age_years=10,
        height_cm=131,
        identifying_marks="mole on the chin, scar over the left eyebrow",
        languages="Hindi, Bhojpuri",
    )
    station = f.make_institution(kind="police", name="Test Police Station Danapur", district=places.patna)
    police = f.make_user(Role.POLICE, institution=station)

    def phone():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.set_default_timeout(20000)
        return context, page

    # The station's officer reports the child missing, on a phone.
    context, page = phone()
    sign_in(page, police)
    page.goto("/protection/missing/new/")
    _check(page, "missing-form")
    page.select_option("#id_fir_kind", "fir")
    page.fill("#id_fir_number", "77/2026")
    page.fill("#id_reported_on", (today - timedelta(days=15)).isoformat())
    page.fill("#id_last_seen_on", (today - timedelta(days=16)).isoformat())
    page.fill("#id_last_seen_place", "Danapur railway station")
    page.fill("#id_name", "Sonu")
    page.select_option("#id_sex", "m")
    page.fill("#id_age_years", "10")
    page.fill("#id_height_cm", "129")
    page.fill("#id_identifying_marks", "mole on chin; scar on left eyebrow")
    page.fill("#id_languages", "Bhojpuri")
    page.fill("#id_guardian_name", "Test Father Ramu")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/protection/missing/*/")
    report = MissingReport.objects.get(fir_number="77/2026")
    assert MatchPair.objects.filter(missing=report, status="pending").exists()  # the task ran on the commit
    _check(page, "missing-detail")
    context.close()

    # Gaya's CWC member finds the pair in the queue, compares, and confirms.
    context, page = phone()
    sign_in(page, cast.cwc)
    page.goto("/protection/matches/")
    _check(page, "pair-queue")
    page.click("#pair-queue a")
    page.wait_for_selector("#pair-fields")
    assert "Danapur railway station" in page.inner_text("#pair-fields")
    assert "Children's Home Gaya" in page.inner_text("#pair-fields")
    _check(page, "pair-detail")
    page.select_option("#id_decision", "confirm")
    page.fill("#id_reason", "Test: the father identified him from the photo at the sitting.")
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/protection/matches/")
    context.close()
    report.refresh_from_db()
    assert report.status == "found"

    # The station sees where the child is.
    context, page = phone()
    sign_in(page, police)
    page.goto(f"/protection/missing/{report.pk}/")
    assert "Children's Home Gaya" in page.inner_text("#found-where")
    context.close()

    # Patna's compliance page shows the station's entry.
    context, page = phone()
    sign_in(page, cast.outsider)
    page.goto("/protection/upload-compliance/")
    rows = page.inner_text("#compliance-rows")
    assert "Test Police Station Danapur" in rows and "last entry" in rows
    _check(page, "upload-compliance")
    context.close()

    # The state's page, after the ten-minute refresh of the figures (Celery, run eagerly here): a line per district,
    # Patna's among them, and when the figures were counted; on a phone and on a desktop.
    tasks.compliance_refresh.delay()
    for width, height in ((360, 740), (1366, 768)):
        context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(20000)
        sign_in(page, cast.state)
        page.goto("/protection/upload-compliance/")
        assert "Figures as of" in page.inner_text("#compliance-as-of")
        patna = page.locator("#compliance-districts li", has_text=places.patna.name_en)
        assert "in TrackChild" in patna.inner_text()
        _check(page, "upload-compliance-state")
        context.close()
