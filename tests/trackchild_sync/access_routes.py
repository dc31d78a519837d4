"""Every URL of trackchild_sync, and who gets what from it: the CWC order form of the world case (in a CCI), and the
CCI register of Gaya's children's home with one resident (a child without a CLTS case, placed by Gaya's CWC)."""

import json

from django.utils import timezone

from rescue.models import Case, Status
from rescue.services import AFTER_RESTORATION
from tests import factories as f
from tests.access_matrix import Route, form_page, world_case
from trackchild_sync.models import CwcOrder, CwcSitting, FoundChild, MatchPair, MissingReport, Residence

RECORDERS = frozenset({"cwc", "admin"})
REGISTER_READERS = frozenset({"state", "district", "cwc", "cci", "dcpu", "admin"})
# The home's staff keep its register; the district's DCPU may too (services.register._require_home_staff).
REGISTER_KEEPERS = frozenset({"cci", "dcpu", "admin"})
# A CCI's staff have one home: the list sends them to its register.
ONE_HOME = {"cci": ("ok", (302,)), "cci_other": ("ok", (302,))}


def build(world) -> None:
    f.make_world_case(world)
    cast, gaya = world.cast, world.places.gaya
    world.residence = f.make_residence(
        cast.cci_institution, cwc=cast.cwc_institution, recorded_by=cast.cci, name="Test Resident"
    )
    station = cast.police_station
    world.missing = f.make_missing_report(station=station, recorded_by=cast.admin, district=gaya, photo=f.make_photo())
    world.found = f.make_found_child(placed_in=cast.cci_institution, recorded_by=cast.cci, district=gaya, sex="f")
    world.outbound = f.make_case_at("in_shelter", cast, world.places, interstate="outbound", cci=cast.cci_institution)
    world.pair = MatchPair.objects.create(
        missing=world.missing, residence=world.residence, district=gaya, probability=0.9, strength="strong"
    )


def _home(world) -> dict:
    return {"pk": world.cast.cci_institution.pk}


def _residence(world) -> dict:
    return {"pk": world.residence.pk}


def _restored(world, user):
    assert CwcOrder.objects.filter(case=world.case, kind="restoration", recorded_by=user).exists()
    # Restored, and on to rehabilitation when the package starts at once (rehabilitation.progress).
    assert Case.objects.get(pk=world.case.pk).status in AFTER_RESTORATION
    assert world.case.events.filter(to_status=Status.RESTORED, actor=user).exists()


def _admitted(world, user):
    assert Residence.objects.filter(name="Test Admitted Child", recorded_by=user, left_on__isnull=True).exists()


def _on_leave(world, user):
    assert Residence.objects.get(pk=world.residence.pk).on_leave_since == timezone.localdate()


# The world's report is Gaya town station's (police); Sherghati's station sees only its own reports.
MISSING_READERS = frozenset({"state", "district", "cwc", "police", "dcpu", "admin"})
# The world's found child was recorded by Gaya's home: no police station recorded it, so none sees it.
FOUND_READERS = frozenset({"state", "district", "cwc", "cci", "dcpu", "admin"})
REVIEWERS = frozenset({"cwc", "dcpu", "admin"})


def _reported(world, user):
    assert MissingReport.objects.filter(fir_number="2/2026", recorded_by=user).exists()


def _found(world, user):
    assert FoundChild.objects.filter(found_place="Test railway platform", recorded_by=user).exists()


def _rejected(world, user):
    pair = MatchPair.objects.get(pk=world.pair.pk)
    assert pair.status == "rejected" and pair.decided_by == user


EXCHANGERS = frozenset({"state", "district", "dcpu", "admin"})


def _imported(world, user):
    from trackchild_sync.models import ExtractImport

    assert ExtractImport.objects.filter(imported_by=user, created=1).exists()


def _extract(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    world.places.gaya.lgd_code = world.places.gaya.lgd_code or 230
    world.places.gaya.save()
    line = {
        "trackchild_id": "TC-ROUTE-1",
        "district_lgd": world.places.gaya.lgd_code,
        "found_by": "Test patrol",
        "found_on": "2026-11-01",
        "found_place": "Test ghat",
        "sex": "m",
    }
    content = json.dumps({"records": [line]}).encode()
    return {"kind": "found", "fmt": "json", "extract": SimpleUploadedFile("extract.json", content)}


def _sat(world, user):
    assert CwcSitting.objects.filter(recorded_by=user, cwc=user.institution).exists()


ROUTES = [
    # The admin may open the page (a superuser may do anything) but records no sitting: it belongs to no CWC.
    Route("trackchild:sitting-list", allowed=frozenset({"cwc", "admin"})),
    Route(
        "trackchild:sitting-list",
        method="post",
        allowed=frozenset({"cwc"}),
        data=lambda w: {"sat_on": timezone.localdate().isoformat(), "members_present": "3"},
        ok=(302,),
        effect=_sat,
        audited=False,  # a sitting holds no personal data (no child), so the audit trail does not track it
    ),
    *form_page(
        "trackchild:cwc-order-create",
        allowed=RECORDERS,
        kwargs=world_case,
        via_case=True,
        data=lambda w: {
            "kind": "restoration",
            "order_number": "CWC/GAYA/1",
            "ordered_on": timezone.localdate().isoformat(),
            "restored_to": "Test Mother",
            "restored_place": "Test Village Bakraur, the family home",
        },
        effect=_restored,
    ),
    Route("trackchild:home-list", allowed=REGISTER_READERS - {"cci"}, expect=ONE_HOME),
    Route("trackchild:home-register", allowed=REGISTER_READERS, kwargs=_home),
    *form_page(
        "trackchild:resident-admit",
        allowed=REGISTER_KEEPERS,
        kwargs=_home,
        data=lambda w: {
            "cwc": w.cast.cwc_institution.pk,
            "order_number": "CWC/GAYA/2",
            "ordered_on": timezone.localdate().isoformat(),
            "admitted_on": timezone.localdate().isoformat(),
            "name": "Test Admitted Child",
            "sex": "f",
            "age_years": "9",
        },
        effect=_admitted,
    ),
    Route("trackchild:resident-detail", allowed=REGISTER_READERS, kwargs=_residence),
    Route(
        "trackchild:resident-move",
        method="post",
        allowed=REGISTER_KEEPERS,
        kwargs=_residence,
        data=lambda w: {"movement": "leave", "on": timezone.localdate().isoformat(), "notes": "Test: home visit"},
        ok=(302,),
        effect=_on_leave,
    ),
    Route("trackchild:missing-list", allowed=MISSING_READERS),
    *form_page(
        "trackchild:missing-create",
        allowed=frozenset({"police", "admin"}),
        data=lambda w: {
            "station": w.missing.station_id,
            "fir_kind": "fir",
            "fir_number": "2/2026",
            "reported_on": timezone.localdate().isoformat(),
            "last_seen_on": timezone.localdate().isoformat(),
            "last_seen_place": "Test village fair",
            "sex": "f",
            "age_years": "8",
        },
        effect=_reported,
    ),
    Route("trackchild:missing-detail", allowed=MISSING_READERS, kwargs=lambda w: {"pk": w.missing.pk}),
    # A station lists the found children it recorded (none in the world): the page, empty.
    Route("trackchild:found-list", allowed=FOUND_READERS | {"police"}),
    *form_page(
        "trackchild:found-create",
        allowed=frozenset({"cci", "police", "dcpu", "admin"}),
        data=lambda w: {
            "found_by": "Test railway police",
            "found_on": timezone.localdate().isoformat(),
            "found_place": "Test railway platform",
            "sex": "m",
            "age_years": "9",
        },
        effect=_found,
        expect={"admin": ("refused", (200,))},
    ),
    Route("trackchild:found-detail", allowed=FOUND_READERS, kwargs=lambda w: {"pk": w.found.pk}),
    Route("trackchild:pair-queue", allowed=REVIEWERS),
    Route("trackchild:pair-detail", allowed=REVIEWERS, kwargs=lambda w: {"pk": w.pair.pk}),
    Route(
        "trackchild:pair-detail",
        method="post",
        allowed=REVIEWERS,
        kwargs=lambda w: {"pk": w.pair.pk},
        data=lambda w: {"decision": "reject", "reason": "Test: the resident's family was traced."},
        ok=(302,),
        effect=_rejected,
    ),
    Route(
        "trackchild:photo",
        allowed=MISSING_READERS,
        kwargs=lambda w: {"which": "missing", "pk": w.missing.pk},
    ),
    Route("trackchild:exchange", allowed=EXCHANGERS),
    # Another district's officer or DCPU may import, but not Gaya's records: every line is refused, nothing written.
    Route(
        "trackchild:exchange",
        method="post",
        allowed=EXCHANGERS,
        data=_extract,
        ok=(302,),
        effect=_imported,
        refused=frozenset({"outsider", "staff", "shared", "dcpu_other"}),
    ),
    # An export is a list of the records the user sees: other districts (and their DCPU) get theirs (none of Gaya's).
    Route(
        "trackchild:export",
        allowed=EXCHANGERS,
        kwargs=lambda w: {"kind": "residents", "fmt": "csv"},
        expect=dict.fromkeys(("outsider", "staff", "shared", "dcpu_other"), ("ok", (200,))),
    ),
    Route("trackchild:upload-compliance", allowed=frozenset({"state", "district", "dcpu", "admin"})),
    Route(
        "trackchild:repatriation-file",
        allowed=frozenset({"state", "district", "cwc", "admin"}),
        kwargs=lambda w: {"case_number": w.outbound.case_number, "fmt": "json"},
    ),
]
