"""Access-matrix routes of rehabilitation, on the world case: its package (a component at each step), a visit due and
one awaiting a decision (both assigned to world.cast.field), and a restored Gaya case without a package yet.

A package is seen only by the case's districts and blocks and the state (another district's officer gets 404; CCI,
CWC, field workers and nodal officers may see no package at all: 403); a visit also by the field worker it is
assigned to (another field worker of the block: 404).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rehabilitation.models import Component, Enrolment, Package, Visit
from rescue.models import Status
from tests.access_matrix import Route, form_page, pk_of, today_iso, world_case
from tests.factories import make_case_at, make_package, make_visit, make_world_case

PROOF_NAME = "rehabilitation/proofs/access-matrix/proof.pdf"

VIEWERS = frozenset({"state", "district", "block", "admin"})
EDITORS = frozenset({"district", "admin"})
RECORDERS = frozenset({"district", "block", "field", "admin"})


def build(world):
    case = make_world_case(world)
    cast, places = world.cast, world.places
    today = timezone.localdate()
    package = make_package(
        case,
        created_by=cast.district,
        components=[
            {"name_en": "Immediate relief", "kind": "relief", "planned_amount": "3000.00"},
            {
                "name_en": "Deposit",
                "kind": "deposit",
                "planned_amount": "20000.00",
                "status": "sanctioned",
                "sanction_order_number": "SO-1",
                "sanctioned_on": today - timedelta(days=2),
                "sanctioned_amount": "20000.00",
            },
            {
                "name_en": "School kit",
                "kind": "education",
                "planned_amount": "500.00",
                "status": "disbursed",
                "sanction_order_number": "SO-2",
                "sanctioned_on": today - timedelta(days=3),
                "sanctioned_amount": "500.00",
                "disbursed_on": today - timedelta(days=1),
                "disbursed_amount": "500.00",
                "disbursement_mode": "bank_guardian",
            },
        ],
    )
    if not default_storage.exists(PROOF_NAME):
        default_storage.save(PROOF_NAME, ContentFile(b"%PDF-1.4 access matrix test\n"))
    component, sanctioned, disbursed = package.components.order_by("id")
    Component.objects.filter(pk=component.pk).update(sanction_proof=PROOF_NAME)
    world.package, world.component = package, component
    world.sanctioned_component, world.disbursed_component = sanctioned, disbursed
    world.visit = make_visit(case, assigned_to=cast.field, due_on=today)
    world.flagged_visit = make_visit(
        case,
        assigned_to=cast.field,
        due_on=today - timedelta(days=5),
        visited_on=today - timedelta(days=4),
        found="not_found",
        needs_decision=True,
        recorded_by=cast.field,
    )
    world.restored_case = make_case_at(Status.RESTORED, cast, places)


def _package(w):
    return {"pk": w.package.pk}


def _proof():
    return SimpleUploadedFile("proof.pdf", b"%PDF-1.4 access matrix proof\n%%EOF\n", content_type="application/pdf")


def _status_of(name: str, status: str):
    def effect(world, user):
        assert Component.objects.get(pk=getattr(world, name).pk).status == status

    return effect


def _package_started(world, user):
    assert Package.objects.filter(case=world.restored_case).exists()


def _component_added(world, user):
    assert world.package.components.filter(name_en="Test matrix component").exists()


def _enrolled(world, user):
    assert Enrolment.objects.filter(case=world.case, institution_name="Test matrix centre").exists()


def _visit_recorded(world, user):
    visit = Visit.objects.get(pk=world.visit.pk)
    assert visit.visited_on is not None and visit.recorded_by == user


def _decided(world, user):
    assert Visit.objects.get(pk=world.flagged_visit.pk).decision == "continue"


def _reassigned(world, user):
    assert Visit.objects.get(pk=world.visit.pk).assigned_to == world.cast.field_other


VISIT_RECORD = {
    "visited_on": today_iso,
    "found": "seen",
    "living_with_family": "yes",
    "in_school": "no",
    "working_again": "no",
    "family_migrated": "no",
    "health": "good",
    "scheme_access": "not_linked",
}


ROUTES = [
    Route("rehabilitation:package-list", allowed=VIEWERS),
    Route("rehabilitation:package-detail", allowed=VIEWERS, kwargs=_package, via_case=True),
    *form_page(
        "rehabilitation:component-add",
        allowed=EDITORS,
        kwargs=_package,
        via_case=True,
        data=lambda w: {"name_en": "Test matrix component", "kind": "other", "reason": "Test reason"},
        effect=_component_added,
    ),
    *form_page(
        "rehabilitation:component-sanction",
        allowed=EDITORS,
        kwargs=pk_of("component"),
        via_case=True,
        data=lambda w: {"order_number": "SO-9", "sanctioned_on": today_iso(), "amount": "3000.00", "proof": _proof()},
        effect=_status_of("component", "sanctioned"),
    ),
    *form_page(
        "rehabilitation:component-disburse",
        allowed=EDITORS,
        kwargs=pk_of("sanctioned_component"),
        via_case=True,
        data=lambda w: {"disbursed_on": today_iso(), "amount": "20000.00", "mode": "bank_child", "proof": _proof()},
        effect=_status_of("sanctioned_component", "disbursed"),
    ),
    *form_page(
        "rehabilitation:component-verify",
        allowed=EDITORS | {"block"},
        kwargs=pk_of("disbursed_component"),
        via_case=True,
        data=lambda w: {"verified_on": today_iso(), "note": "Passbook seen at home."},
        effect=_status_of("disbursed_component", "verified"),
    ),
    *form_page(
        "rehabilitation:component-waive",
        allowed=EDITORS,
        kwargs=pk_of("component"),
        via_case=True,
        data=lambda w: {"reason": "Given by another scheme."},
        effect=_status_of("component", "waived"),
    ),
    Route(
        "rehabilitation:component-proof",
        allowed=VIEWERS,
        kwargs=lambda w: {"pk": w.component.pk, "which": "sanction"},
        via_case=True,
    ),
    Route("rehabilitation:visit-list", allowed=frozenset({"district", "block", "field", "admin"})),
    Route("rehabilitation:visit-detail", allowed=VIEWERS | {"field"}, kwargs=pk_of("visit"), via_case=True),
    *form_page(
        "rehabilitation:visit-record",
        allowed=RECORDERS,
        kwargs=pk_of("visit"),
        via_case=True,
        data=lambda w: {name: value() if callable(value) else value for name, value in VISIT_RECORD.items()},
        effect=_visit_recorded,
    ),
    *form_page(
        "rehabilitation:visit-decide",
        allowed=EDITORS,
        kwargs=pk_of("flagged_visit"),
        via_case=True,
        data=lambda w: {"decision": "continue", "reason": "Found at an aunt's house; safe."},
        effect=_decided,
    ),
    Route("rehabilitation:case-rehabilitation", allowed=VIEWERS | {"field"}, kwargs=world_case, via_case=True),
    Route(
        "rehabilitation:package-create",
        method="post",
        allowed=EDITORS,
        kwargs=lambda w: {"case_number": w.restored_case.case_number},
        ok=(302,),
        effect=_package_started,
    ),
    *form_page(
        "rehabilitation:enrolment-create",
        allowed=EDITORS | {"block"},
        kwargs=world_case,
        via_case=True,
        data=lambda w: {"kind": "bridge", "institution_name": "Test matrix centre", "enrolled_on": today_iso()},
        effect=_enrolled,
    ),
    *form_page(
        "rehabilitation:visit-assign",
        allowed=EDITORS,
        kwargs=world_case,
        via_case=True,
        data=lambda w: {"assignee": w.cast.field_other.pk},
        effect=_reassigned,
    ),
    Route("rehabilitation:case-close", allowed=EDITORS, kwargs=world_case, via_case=True, writes=True),
    # The world case is not ready to close (tested in tests/rehabilitation): the service refuses, nothing changes.
    Route(
        "rehabilitation:case-close",
        method="post",
        allowed=frozenset(),
        refused=EDITORS,
        kwargs=world_case,
        via_case=True,
        data=lambda w: {"reason": "Test"},
    ),
]
