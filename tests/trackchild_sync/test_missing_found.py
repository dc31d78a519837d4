"""Missing and found children: the engine raises the pair, the CWC confirms it side by side, the station is told;
a rejected pair is never raised again; each record's own people see it, nobody else."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from clts.accounts.roles import Role
from clts.matching import engine
from clts.matching.models import MatchModel
from tests import factories as f
from trackchild_sync import matching, services
from trackchild_sync.models import MatchPair, MissingReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def stations(places):
    patna = f.make_institution(kind="police", name="Test Police Station Patna", district=places.patna)
    gaya = f.make_institution(kind="police", name="Test Police Station Gaya", district=places.gaya)
    return {
        "patna": f.make_user(Role.POLICE, institution=patna, email="patna-station@example.org"),
        "gaya": f.make_user(Role.POLICE, institution=gaya),
    }


def _report(user, **overrides) -> MissingReport:
    today = timezone.localdate()
    values = {
        "fir_kind": "fir",
        "fir_number": "112/2026",
        "reported_on": today - timedelta(days=20),
        "last_seen_on": today - timedelta(days=21),
        "last_seen_place": "Patna Junction railway station",
        "name": "Rahul",
        "sex": "m",
        "age_years": 11,
        "height_cm": 138,
        "identifying_marks": "mole on the left cheek, burn scar on the right hand",
        "languages": "Hindi, Magahi",
        "guardian_name": "Sunil Manjhi",
    } | overrides
    return services.missing_report(actor=user, **values)


def _resident(cast, **overrides):
    today = timezone.localdate()
    values = {
        "actor": cast.cci,
        "institution": cast.cci_institution,
        "cwc": cast.cwc_institution,
        "ordered_on": today - timedelta(days=10),
        "admitted_on": today - timedelta(days=10),
        "name": "Rahul Kumar",
        "sex": "m",
        "age_years": 11,
        "height_cm": 140,
        "identifying_marks": "a mole on left cheek; scar on right hand",
        "languages": "Hindi",
    } | overrides
    return services.residence_admit(**values)


def test_a_report_matched_to_a_cci_resident_is_confirmed_end_to_end(
    login, cast, stations, django_capture_on_commit_callbacks
):
    resident = _resident(cast)
    report = _report(stations["patna"])
    assert matching.match_record("m", report.pk) == 1
    pair = MatchPair.objects.get(missing=report)
    assert pair.residence == resident and pair.district == cast.cci_institution.district and pair.evidence
    # The CWC of the district where the child is reviews it; the CWC of the report's district does not see it.
    assert login(cast.cwc_other).get(reverse("trackchild:pair-detail", args=[pair.pk])).status_code == 404
    client = login(cast.cwc)
    queue = client.get(reverse("trackchild:pair-queue"))
    assert "112/2026" in queue.text
    page = client.get(reverse("trackchild:pair-detail", args=[pair.pk]))
    assert "Patna Junction railway station" in page.text and "Children&#x27;s Home Gaya" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        decided = client.post(
            reverse("trackchild:pair-detail", args=[pair.pk]),
            {"decision": "confirm", "reason": "Test: the mother recognised him on a video call."},
        )
    assert decided.status_code == 302
    report.refresh_from_db()
    assert report.status == "found" and report.closed_at is not None
    # The station is told, with the FIR number and a link: no name, no place.
    assert len(mail.outbox) == 1 and "112/2026" in mail.outbox[0].subject
    assert "Rahul" not in mail.outbox[0].body and "Gaya" not in mail.outbox[0].body
    station_page = login(stations["patna"]).get(reverse("trackchild:missing-detail", args=[report.pk]))
    assert "The child is in Children&#x27;s Home Gaya." in station_page.text


def test_a_rejected_pair_is_never_raised_again(cast, stations):
    _resident(cast)
    report = _report(stations["patna"])
    matching.match_record("m", report.pk)
    pair = MatchPair.objects.get(missing=report)
    services.pair_reject(actor=cast.cwc, pair=pair, reason="Test: the resident's family was traced in Nawada.")
    assert matching.match_record("m", report.pk) == 0
    assert matching.matching_pass()["raised"] >= 0
    assert list(MatchPair.objects.filter(missing=report).values_list("status", flat=True)) == ["rejected"]


def test_a_found_child_added_later_is_matched_against_open_reports(cast, stations, places):
    report = _report(stations["patna"])
    found = services.found_record(
        actor=stations["gaya"],
        found_by="Railway Protection Force, Gaya",
        found_on=timezone.localdate() - timedelta(days=2),
        found_place="Gaya Junction",
        name="Rahul",
        sex="m",
        age_years=12,
        height_cm=139,
        identifying_marks="mole left cheek",
        languages="Magahi",
    )
    assert matching.match_record("f", found.pk) == 1
    assert MatchPair.objects.get(missing=report).found == found


def test_a_registration_model_does_not_decide_the_missing_and_found_queue(cast, stations):
    """Missing against found has a model purpose of its own: the model trained for registration (here one that
    would show nothing) leaves the queue to the missing/found parameters (until one is trained: the priors)."""
    MatchModel.objects.create(
        purpose="children", parameters={"m": {}, "u": {}}, strong_threshold=1.0, shown_threshold=1.0
    )
    assert engine.parameters("children").shown_threshold == 1.0
    _resident(cast)
    report = _report(stations["patna"])
    assert matching.match_record("m", report.pk) == 1


def test_unlike_children_are_not_paired(cast, stations):
    _resident(cast, name="Pooja Kumari", sex="f", age_years=6, height_cm=105, identifying_marks="", languages="")
    report = _report(stations["patna"])
    assert matching.match_record("m", report.pk) == 0


def test_each_station_sees_its_own_reports(login, stations, cast):
    report = _report(stations["patna"])
    assert login(stations["gaya"]).get(reverse("trackchild:missing-detail", args=[report.pk])).status_code == 404
    assert login(stations["patna"]).get(reverse("trackchild:missing-detail", args=[report.pk])).status_code == 200
    assert login(cast.outsider).get(reverse("trackchild:missing-detail", args=[report.pk])).status_code == 200
    assert login(cast.district).get(reverse("trackchild:missing-detail", args=[report.pk])).status_code == 404


def test_the_police_report_form_refuses_a_second_report_of_one_fir(login, stations):
    _report(stations["patna"])
    client = login(stations["patna"])
    response = client.post(
        reverse("trackchild:missing-create"),
        {
            "fir_kind": "fir",
            "fir_number": "112/2026",
            "reported_on": timezone.localdate().isoformat(),
            "last_seen_on": timezone.localdate().isoformat(),
            "last_seen_place": "Patna",
            "sex": "f",
        },
    )
    assert response.status_code == 200 and "already reported this FIR" in response.text
