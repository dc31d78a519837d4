"""Registers of missing-child reports and found children: each row through trackchild_sync's missing_report and
found_record, as the typed forms; places within the home state and the importer's area; the same report (FIR) or
the same found child (the matching engine) already in CLTS left alone; all or nothing; the same file refused."""

import csv
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from clts.imports import services
from clts.imports.choices import Kind, Status
from clts.imports.kinds import common
from clts.imports.kinds.trackchild import FoundRegister
from clts.imports.normalise import Unreadable
from tests import factories as f
from trackchild_sync.choices import FirKind
from trackchild_sync.models import FoundChild, MatchKey, MissingReport

pytestmark = pytest.mark.django_db

MISSING_HEADERS = ["District", "थाना", "FIR/GD", "FIR No", "Date of Report", "Missing Since", "Place of Missing",
                   "बच्चे का नाम", "Gender", "Age", "Height", "Father's Name", "Mobile"]  # fmt: skip
FOUND_HEADERS = ["जिला", "Date of Recovery", "Place of Recovery", "Recovered by", "Name of CCI", "Name of Child",
                 "लिंग", "उम्र", "Identification Marks", "Guardian"]  # fmt: skip
TOMORROW = (timezone.localdate() + timedelta(days=1)).strftime("%d-%m-%Y")


def _upload(admin, kind, headers, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    file = SimpleUploadedFile("register.csv", out.getvalue().encode())
    return services.import_job_upload(actor=admin, kind=kind, district=None, file=file)


def _run(admin, kind, headers, rows):
    job = services.import_job_start(job=_upload(admin, kind, headers, rows), actor=admin, commit=False)
    if not job.invalid_count:
        job = services.import_job_start(job=job, actor=admin, commit=True)
    return job


@pytest.fixture
def world(cast, places):
    f.make_home_state()
    # Two stations of one name, in two districts: the district column tells them apart.
    gaya = f.make_institution(kind="police", name="Kotwali", district=places.gaya)
    patna = f.make_institution(kind="police", name="Kotwali", district=places.patna)
    jaipur = f.make_district(state=places.rajasthan, name_en="Jaipur", short_code="JPR")
    f.make_institution(kind="police", name="Jaipur City", district=jaipur)
    return SimpleNamespace(gaya_station=gaya, patna_station=patna, jaipur=jaipur)


def _missing_rows():
    return [
        ["Gaya", "Kotwali", "FIR", "101/2024", "05-03-2024", "03-03-2024", "Gaya Junction", "Test Missing One", "M",
         "12", "140", "Test Father One", "00000 12345"],
        ["पटना", "kotwali", "Sanha", "7/2024", "2024-02-01", "30.01.24", "Gandhi Maidan", "Test Missing Two", "लड़की",
         "१०", "", "", ""],
    ]  # fmt: skip


def test_a_missing_register_with_bad_rows_reports_each_and_writes_nothing(cast, world):
    good = _missing_rows()
    rows = [
        ["Jaipur", "Jaipur City"] + good[0][2:],  # 2: a district outside the state's (the importer's) area
        [""] + good[0][1:3] + ["102/2024"] + good[0][4:],  # 3: "Kotwali" of which district?
        good[0][:3] + ["103/2024", "05-03-2024", "06-03-2024"] + good[0][6:],  # 4: last seen after the report
        good[0][:3] + ["104/2024", TOMORROW, "03-03-2024"] + good[0][6:],  # 5: a report in the future
        good[0][:3] + ["105/2024"] + good[0][4:9] + ["30"] + good[0][10:],  # 6: over the form's age bound
        good[0][:3] + ["106/2024"] + good[0][4:8] + [""] + good[0][9:],  # 7: no sex (the service asks for it)
        good[0][:3] + ["107/2024", "31-02-2024"] + good[0][5:],  # 8: a date that does not exist
        good[1],  # 9
        good[1][:4] + ["03-02-2024"] + good[1][5:],  # 10: the same FIR as line 9, typed twice
        good[0][:12] + ["call me"],  # 11: a phone in words
    ]
    job = _run(cast.admin, Kind.MISSING, MISSING_HEADERS, rows)
    assert job.status == Status.PREVIEWED and job.invalid_count == 9, job.errors
    errors = {(error["line"], error["column"]): error["message"] for error in job.errors}
    assert "No district of Bihar is called “Jaipur”" in errors[(2, "District")]
    assert "More than one" in errors[(3, "थाना")]
    assert "last seen before the report" in errors[(4, "Missing Since")]
    assert "future" in errors[(5, "Date of Report")]
    assert "from 0 to 25" in errors[(6, "Age")]
    assert "sex" in errors[(7, "Gender")]
    assert "not a date that exists" in errors[(8, "Date of Report")]
    assert "line 9" in errors[(10, "District")]
    assert (11, "Mobile") in errors
    assert not MissingReport.objects.exists() and not MatchKey.objects.exists()


def test_the_corrected_missing_register_imports_through_the_service_and_not_twice(cast, world):
    job = _run(cast.admin, Kind.MISSING, MISSING_HEADERS, _missing_rows())
    assert job.status == Status.COMMITTED and job.new_count == 2, job.errors
    first = MissingReport.objects.get(fir_number="101/2024")
    assert (first.station, first.district, first.fir_kind) == (world.gaya_station, world.gaya_station.district, "fir")
    assert (first.age_years, first.height_cm, first.guardian_phone) == (12, 140, "0000012345")
    second = MissingReport.objects.get(fir_number="7/2024")
    assert (second.station, second.fir_kind, second.sex, second.age_years) == (world.patna_station, FirKind.GD, "f", 10)
    assert second.last_seen_on == date(2024, 1, 30) and second.recorded_by == cast.admin
    assert MatchKey.objects.filter(kind=MatchKey.Kind.MISSING, target_id=first.pk).exists()  # the engine's keys
    assert first.history.get().pgh_context.metadata["url"] == f"import:{job.pk}"
    with pytest.raises(ValidationError, match=f"import {job.pk}"):
        _upload(cast.admin, Kind.MISSING, MISSING_HEADERS, _missing_rows())
    # A later register with one report already in CLTS (the same station and FIR number): left alone.
    later = _missing_rows()[:1] + [["Gaya", "Kotwali", "", "108/2024", "01-06-2024", "01-06-2024", "Bodh Gaya",
                                     "", "F", "", "", "", ""]]  # fmt: skip
    job = _run(cast.admin, Kind.MISSING, MISSING_HEADERS, later)
    assert (job.status, job.duplicate_count, job.new_count) == (Status.COMMITTED, 1, 1)
    assert MissingReport.objects.count() == 3


def _found_rows():
    return [
        ["Gaya", "01-05-2024", "Gaya railway station", "RPF Gaya", "Children's Home Gaya", "Test Found One", "M",
         "11", "mole on the left cheek", "Test Guardian One"],
        ["पटना", "02-05-2024", "Patna Junction", "Childline", "", "Test Found Two", "F", "9", "", ""],
    ]  # fmt: skip


def test_a_found_register_with_bad_rows_reports_each_and_writes_nothing(cast, world):
    good = _found_rows()
    rows = [
        ["Jaipur"] + good[0][1:],  # 2: outside the state
        ["Gaya", "02-05-2024", "Gaya", "RPF", "Children's Home Patna"] + good[0][5:],  # 3: a home of another district
        ["Gaya", TOMORROW] + good[0][2:],  # 4: found in the future
        good[1][:7] + ["nine"] + good[1][8:],  # 5: an age in words
        good[1][:6] + ["X"] + good[1][7:],  # 6: not a sex
        good[1][:2] + [""] + good[1][3:],  # 7: no place
        good[0],  # 8
        good[0][:5] + ["TEST FOUND ONE"] + good[0][6:],  # 9: line 8 typed twice
    ]
    job = _run(cast.admin, Kind.FOUND, FOUND_HEADERS, rows)
    assert job.status == Status.PREVIEWED and job.invalid_count == 7, job.errors
    errors = {(error["line"], error["column"]): error["message"] for error in job.errors}
    assert "Jaipur" in errors[(2, "जिला")]
    assert "of the district" in errors[(3, "Name of CCI")]
    assert "future" in errors[(4, "Date of Recovery")]
    assert "in digits" in errors[(5, "उम्र")]
    assert (6, "लिंग") in errors
    assert (7, "Place of Recovery") in errors
    assert "line 8" in errors[(9, "जिला")]
    assert not FoundChild.objects.exists()


def test_the_corrected_found_register_imports_and_the_engine_leaves_out_a_child_already_found(cast, world):
    job = _run(cast.admin, Kind.FOUND, FOUND_HEADERS, _found_rows())
    assert job.status == Status.COMMITTED and job.new_count == 2, job.errors
    one = FoundChild.objects.get(name="Test Found One")
    assert (one.district, one.placed_in, one.age_years) == (world.gaya_station.district, cast.cci_institution, 11)
    assert one.history.get().pgh_context.metadata["user"] == cast.admin.pk
    # Another register holding the same finding, spelt differently: the engine finds it strongly the same child.
    later = [
        ["Gaya", "2024-05-01", "Gaya Railway Station", "GRP Gaya", "", "Test Found One", "Boy", "11",
         "mole on left cheek", "Test Guardian One"],
        ["Gaya", "03-05-2024", "Bodh Gaya", "DCPU", "", "Test Found Three", "F", "7", "", ""],
    ]  # fmt: skip
    job = _run(cast.admin, Kind.FOUND, FOUND_HEADERS, later)
    assert (job.status, job.duplicate_count, job.new_count) == (Status.COMMITTED, 1, 1), job.errors
    assert job.duplicates[0]["record"] == f"found child no. {one.pk}"
    assert FoundChild.objects.count() == 3


def test_a_district_outside_the_importers_area_is_refused(cast, world, places):
    """The kinds read places through access's one rule: a Gaya officer's rows may not name Patna."""
    district = FoundRegister.columns[0]
    context = common.PlacesContext(cast.district)
    assert district.read("गया", {}, context) == places.gaya
    with pytest.raises(Unreadable, match="outside your area"):
        district.read("Patna", {}, context)
    assert district.read("Patna", {}, common.PlacesContext(cast.admin)) == places.patna
