"""In real Chromium: the state's officer opens the dashboard, filters it by a district, builds a cross-tab and
downloads last month's PDF report. Screenshots of the dashboard (1366 px and 360 px), the cross-tab and the PDF's
first page (pdftoppm) go to test-results/ (looked at by the engineer, never committed)."""

import subprocess
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from clts.reports import monthly
from clts.reports.services import facts_refresh
from rescue.choices import Status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path(settings.BASE_DIR) / "test-results"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def figures(places, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    f.make_home_state()
    last = monthly.previous_month()
    zone = timezone.get_current_timezone()
    for district, n in ((places.gaya, 11), (places.patna, 6)):
        for i in range(n):
            when = datetime.combine(last + timedelta(days=i % 20), time(10), zone)
            rescue = f.make_rescue(district=district, rescued_at=when)
            status = [Status.RESCUED, Status.IN_SHELTER, Status.REHABILITATION][i % 3]
            f.make_case(district=district, rescue=rescue, status=status)
    facts_refresh()
    report = monthly.report_file_ensure(district=None, month=last, language="en")
    assert monthly.monthly_report_build(report_id=report.pk) == "built"
    return last


def test_the_state_officer_reads_the_dashboard_builds_a_cross_tab_and_downloads_the_report(
    page, phone_page, cast, places, figures, sign_in
):
    sign_in(page, cast.state)
    page.goto("/reports/")
    headline = page.locator("#headline").inner_text()
    assert "Registered" in headline
    assert page.locator("#district-table tbody tr").count() == 2
    _shot(page, "reports-dashboard-1366.png")

    # Filter by Patna: the headline becomes Patna's 6.
    page.select_option("#id_district", str(places.patna.pk))
    page.click("#filters button[type=submit]")
    page.wait_for_url("**district=*")
    assert page.locator("#headline .figure").first.inner_text().strip() == "6"

    # A cross-tab of district by status, and its XLSX.
    page.goto("/reports/crosstab/")
    page.select_option("#id_rows", "district")
    page.select_option("#id_columns", "status")
    page.click("#crosstab-form button[type=submit]")
    table = page.locator("#crosstab-table")
    assert "Gaya" in table.inner_text() and "Patna" in table.inner_text()
    assert "17" in table.locator("tbody tr").last.inner_text()
    _shot(page, "reports-crosstab-1366.png")
    with page.expect_download() as download:
        page.click("#crosstab-xlsx")
    assert download.value.suggested_filename == "crosstab.xlsx"

    # Last month's PDF from the reports page.
    page.goto("/reports/monthly/")
    with page.expect_download() as download:
        page.locator("a.monthly-download").first.click()
    pdf = SHOTS / "reports-monthly-state.pdf"
    SHOTS.mkdir(exist_ok=True)
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "2", str(pdf), str(SHOTS / "reports-monthly-page")],
        check=True,
    )
    assert (SHOTS / "reports-monthly-page-1.png").exists()

    # The same dashboard on a 360 px phone: nothing scrolls sideways.
    sign_in(phone_page, cast.state)
    phone_page.goto("/reports/")
    assert _fits_the_screen(phone_page)
    _shot(phone_page, "reports-dashboard-360.png")
    phone_page.goto(f"/reports/district/{places.gaya.pk}/")
    assert _fits_the_screen(phone_page)
    _shot(phone_page, "reports-district-360.png")
