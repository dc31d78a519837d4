"""In real Chromium, with a real Celery worker: the state's administrator uploads a district's register, fixes the
column the matcher did not know, watches the check run, downloads the rows to correct, uploads the corrected file
and watches the import finish. Pages at 360 px and 1366 px have no sideways scroll; set CLTS_SCREENSHOTS=1 to keep
screenshots in test-results/ (looked at by the engineer, never committed)."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import load_workbook

from clts.accounts.roles import Role
from clts.geo.models import District
from clts.imports.models import ImportJob
from rescue.models import Case
from tests import factories as f
from tests.imports.registers import HEADERS, Register, register, with_bad_rows
from tests.imports.test_celery import run_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery]
SHOTS = Path(settings.BASE_DIR) / "test-results"
ROWS = 3000
BACKGROUND = 500  # rows above which the check and the import run in the worker


def _look(page, name: str) -> None:
    """No sideways scroll at 360 px and at 1366 px; a screenshot of each when asked for."""
    for width, height in ((360, 740), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (name, width)
        if os.environ.get("CLTS_SCREENSHOTS"):
            SHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SHOTS / f"imports-{name}-{width}.png"), full_page=True)


def _district_layout(register_: Register) -> bytes:
    """Gaya's layout: the father's name under a header no matcher knows."""
    headers = list(HEADERS)
    headers[2] = "Baap ka naam"
    return register_.csv_bytes().replace(",".join(HEADERS).encode(), ",".join(headers).encode())


@pytest.fixture
def worker():
    yield from run_worker(BACKGROUND)


def test_an_admin_imports_a_district_register_end_to_end(page, live_server, sign_in, settings, tmp_path, worker):
    settings.IMPORT_BACKGROUND_ROWS = BACKGROUND
    call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    home = f.make_home_state()
    gaya = District.objects.get(state=home, name_en="Gaya")
    f.make_institution(kind="cwc", name="CWC Gaya", district=gaya)
    admin = f.make_user(Role.ADMIN, username="state-admin", is_staff=True)
    good = register(ROWS, seed=21)
    spoilt, expected = with_bad_rows(good, per_kind=1)
    spoilt_file, corrected_file = tmp_path / "gaya-register.csv", tmp_path / "gaya-register-corrected.csv"
    spoilt_file.write_bytes(_district_layout(spoilt))
    corrected_file.write_bytes(_district_layout(good))

    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, admin)
    page.goto("/imports/")
    _look(page, "list")
    page.select_option("#id_kind", "rescue")
    page.select_option("#id_district", str(gaya.pk))
    page.set_input_files("#id_file", str(spoilt_file))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/mapping/")
    _look(page, "mapping")
    # The matcher knew the Hindi and English headers but not "Baap ka naam": the admin chooses it.
    assert page.input_value("#id_field_father_name") == ""
    assert page.input_value("#id_field_name") == "1"
    page.select_option("#id_field_father_name", "2")
    page.check("#id_save_template")
    page.click("#mapping-form button[type=submit]")
    page.wait_for_url("**/imports/*/")
    # The check runs in the worker; the bar moves without a reload, then the page shows the counts.
    assert page.locator("#progress-box").is_visible()
    page.wait_for_selector("#count-invalid", timeout=180_000)
    assert page.inner_text("#count-invalid") == "10"
    assert page.locator("#commit-form").count() == 0
    assert page.locator("#error-table tbody tr").count() >= 10
    _look(page, "preview")
    with page.expect_download() as download:
        page.click("#bad-rows")
    bad = load_workbook(download.value.path()).active
    lines = sorted(row[0] for row in bad.iter_rows(min_row=2, values_only=True))
    assert lines == sorted({line for line, _column in expected})
    assert download.value.suggested_filename.startswith("import-")

    # The corrected file: the district's saved mapping already knows "Baap ka naam".
    page.click("text=Discard this import")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.select_option("#id_kind", "rescue")
    page.select_option("#id_district", str(gaya.pk))
    page.set_input_files("#id_file", str(corrected_file))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/mapping/")
    assert page.input_value("#id_field_father_name") == "2"
    page.click("#mapping-form button[type=submit]")
    page.wait_for_selector("#commit-form", timeout=180_000)
    assert page.inner_text("#count-new") == str(ROWS) and page.inner_text("#count-invalid") == "0"
    page.click("#commit-form button")
    page.wait_for_url("**/imports/*/")
    bar = page.locator("#progress-bar")
    assert bar.is_visible()
    seen = {bar.inner_text()}
    page.wait_for_function(
        "document.getElementById('progress-bar') === null || "
        "document.getElementById('progress-bar').textContent === '100%'",
        timeout=300_000,
    )
    page.wait_for_selector("#count-new", timeout=60_000)
    seen.add("100%")
    assert page.inner_text("#job-status") == "Imported"
    assert page.inner_text("#count-new") == str(ROWS)
    assert Case.objects.count() == ROWS
    assert "100%" in seen
    _look(page, "imported")
    assert ImportJob.objects.filter(status="committed").count() == 1
