"""Monthly PDF reports: one per scope, month and language however often the job runs, the right month's figures,
Noto Sans Devanagari embedded, downloads only within scope."""

import subprocess
from datetime import datetime, time, timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from clts.celery import app
from clts.reports import monthly
from clts.reports.models import JobStatus, ReportFile
from clts.reports.services import facts_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def month(places):
    """Last month: 7 cases in Gaya and 5 in Patna; 9 more Gaya cases two months ago (another month's figures)."""
    f.make_home_state()
    last = monthly.previous_month()
    zone = timezone.get_current_timezone()
    for district, n, when in (
        (places.gaya, 7, last),
        (places.patna, 5, last),
        (places.gaya, 9, last - timedelta(days=20)),
    ):
        for _ in range(n):
            rescue = f.make_rescue(
                district=district, rescued_at=datetime.combine(when + timedelta(days=3), time(10), zone)
            )
            f.make_case(district=district, rescue=rescue)
    facts_refresh()
    return last


def _text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True, check=True).stdout


def _fonts(path) -> str:
    return subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout


def _headline_registered(text: str) -> str:
    """The headline's first figure: the number on the line above "Registered" after "Headline figures"."""
    lines = [line for line in text.split("Headline figures", 1)[1].splitlines() if line.strip()]
    label = next(i for i, line in enumerate(lines) if line.strip().startswith("Registered"))
    return lines[label - 1].split()[0]


def _build_all(month) -> list[int]:
    ids = monthly.monthly_reports_ensure(month=month)
    for report_id in ids:
        monthly.monthly_report_build(report_id=report_id)
    return ids


def test_the_state_and_each_district_get_a_report_in_each_language(month, places):
    ids = _build_all(month)
    districts = set(ReportFile.objects.values_list("district", flat=True))
    assert None in districts and {places.gaya.pk, places.patna.pk} <= districts
    assert ReportFile.objects.filter(status=JobStatus.READY).count() == len(ids) == 2 * len(districts)
    hindi = ReportFile.objects.get(district=places.gaya, language="hi")
    fonts = _fonts(hindi.file.path)
    # Embedded ("yes" in the emb column) and subset: text extraction alone would pass with empty boxes.
    devanagari = [line for line in fonts.splitlines() if "Noto-Sans-Devanagari" in line]
    assert devanagari and all(" yes " in line for line in devanagari)
    assert "गया" in _text(hindi.file.path)


def test_the_report_has_the_months_figures(month, places):
    _build_all(month)
    state = ReportFile.objects.get(district=None, language="en")
    text = _text(state.file.path)
    assert f"{month:%B %Y}" in text
    assert _headline_registered(text) == "12"  # 7 + 5 rescued last month, not the 9 of the month before
    gaya = ReportFile.objects.get(district=places.gaya, language="en")
    assert _headline_registered(_text(gaya.file.path)) == "7"


def test_two_runs_and_a_run_killed_half_way_leave_one_report_each(month):
    ids = _build_all(month)
    files = {r.pk: r.file.name for r in ReportFile.objects.all()}
    # Killed half way: the row stays "being built" with no file; the next run builds into the same row and name.
    ReportFile.objects.filter(pk=ids[0]).update(status=JobStatus.BUILDING, progress=40)
    assert _build_all(month) == ids
    assert ReportFile.objects.count() == len(ids)
    assert {r.pk: r.file.name for r in ReportFile.objects.all()} == files
    assert ReportFile.objects.get(pk=ids[0]).status == JobStatus.READY
    media = django_settings.MEDIA_ROOT + "/reports/monthly"
    assert len(list(__import__("pathlib").Path(media).iterdir())) == len(ids)


def test_a_build_under_way_makes_a_second_one_leave(month):
    report = monthly.report_file_ensure(district=None, month=month, language="en")
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [monthly.LOCK_CLASS, report.pk])
        assert monthly.monthly_report_build(report_id=report.pk) == "busy"
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [monthly.LOCK_CLASS, report.pk])
    finally:
        other.close()
    assert monthly.monthly_report_build(report_id=report.pk) == "built"


def test_downloads_only_within_scope(client, cast, places, month):
    _build_all(month)
    state = ReportFile.objects.get(district=None, language="en")
    gaya = ReportFile.objects.get(district=places.gaya, language="hi")
    client.force_login(cast.district)  # Gaya
    response = client.get(reverse("reports:monthly-download", kwargs={"pk": gaya.pk}))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("reports:monthly-download", kwargs={"pk": state.pk})).status_code == 404
    client.force_login(cast.outsider)  # Patna
    assert client.get(reverse("reports:monthly-download", kwargs={"pk": gaya.pk})).status_code == 404
    client.force_login(cast.state)
    assert client.get(reverse("reports:monthly-download", kwargs={"pk": state.pk})).status_code == 200
    listed = client.get(reverse("reports:monthly-list")).context["reports"]
    assert {r.pk for r in listed} == set(ReportFile.objects.values_list("pk", flat=True))


def test_a_district_officer_asks_for_their_districts_month_only(client, cast, places, month):
    client.force_login(cast.district)
    earlier = (month - timedelta(days=40)).strftime("%Y-%m")
    client.post(reverse("reports:monthly-request"), {"month": earlier, "district": places.patna.pk, "language": "en"})
    assert not ReportFile.objects.exists()
    response = client.post(
        reverse("reports:monthly-request"), {"month": earlier, "district": places.gaya.pk, "language": "en"}
    )
    assert response.status_code == 302
    assert ReportFile.objects.get().status == JobStatus.QUEUED


def test_the_beat_job_runs_on_the_first_at_six_in_kolkata():
    entry = app.conf.beat_schedule["reports-monthly"]
    schedule = entry["schedule"]
    assert entry["task"] == "clts.reports.tasks.monthly_reports"
    assert schedule.day_of_month == {1} and schedule.hour == {6} and schedule.minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Asia/Kolkata"
