"""Access-matrix routes of schemes, on the world case (Bodh Gaya block, Gaya district): its household, a widowed
mother, a scanned document, and linkages to schemes of the nodal officer's department ("food") at each step.

Households are seen by the state and the case's district and block (the outsider, Patna's officer, gets 404);
linkages also by the nodal officer of the scheme's department. CWC, CCI and field roles have no schemes pages.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from rescue.models import Status
from schemes.models import Document, Household, HouseholdChild, HouseholdMember, Linkage, LinkageStatus
from tests.access_matrix import ALL, Route, pk_of, today_iso, world_case
from tests.factories import make_case_at, make_household, make_linkage, make_member, make_scheme, make_world_case

SCAN_NAME = "documents/access-matrix/scan.pdf"

HOUSEHOLD_VIEWERS = frozenset({"state", "district", "block", "admin"})
HOUSEHOLD_EDITORS = frozenset({"district", "block", "admin"})
LINKAGE_VIEWERS = frozenset({"state", "district", "block", "nodal", "admin"})
LINKAGE_APPLIERS = HOUSEHOLD_EDITORS
LINKAGE_DECIDERS = frozenset({"district", "block", "nodal", "admin"})


def build(world):
    case = make_world_case(world)
    cast, places = world.cast, world.places
    household = make_household(
        case,
        block=places.bodh_gaya,
        income_band="below_5000",
        created_by=cast.district,
        child={"enrolled_in_school": True, "school_class": 5},
    )
    mother = make_member(household, relation="mother", age_years=34, marital_status="widowed", is_guardian=True)
    if not default_storage.exists(SCAN_NAME):
        default_storage.save(SCAN_NAME, ContentFile(b"%PDF-1.4 access matrix test\n"))
    document = Document.objects.create(
        household=household,
        member=mother,
        kind="aadhaar",
        number_last4="9999",
        scan=SCAN_NAME,
        recorded_by=cast.district,
    )
    food = cast.nodal.department
    today = timezone.localdate()

    def linkage(status: str, **fields):
        scheme = make_scheme(department=food, name_en=f"Food scheme at {status}")
        return make_linkage(case, scheme, status=status, **fields)

    world.household = household
    world.household_child = household.children.get()
    world.member = mother
    world.document = document
    world.linkage = linkage(LinkageStatus.IDENTIFIED)
    world.ready_linkage = linkage(LinkageStatus.DOCUMENTS_COMPLETE)
    world.applied_linkage = linkage(LinkageStatus.APPLIED, applied_on=today, application_number="A-1")
    world.sanctioned_linkage = linkage(
        LinkageStatus.SANCTIONED, applied_on=today, sanctioned_on=today, application_number="A-2"
    )
    world.rejected_linkage = linkage(
        LinkageStatus.REJECTED, applied_on=today, rejected_on=today, rejection_reason="documents"
    )
    world.unlinked_scheme = make_scheme(department=food, name_en="Food scheme not yet followed")
    needs_aadhaar = make_scheme(department=food, name_en="Food scheme asking for Aadhaar", family_documents=["aadhaar"])
    world.aadhaar_linkage = make_linkage(case, needs_aadhaar)
    # A Bodh Gaya case without a household yet, and a brother of the world child to join its household.
    world.case_without_household = make_case_at(Status.RESCUED, cast, places)
    world.sibling_case = make_case_at(Status.RESCUED, cast, places)


def _household_post(world, **changes) -> dict:
    places = world.places
    fields = {"district": places.gaya.pk, "block": places.bodh_gaya.pk, "area": "rural", "ration_card_type": "none"}
    return fields | {"resident_in_state": "on"} | changes


def _linkage_status(name: str, status: str):
    def effect(world, user):
        assert Linkage.objects.get(pk=getattr(world, name).pk).status == status

    return effect


def _household_recorded(world, user):
    assert HouseholdChild.objects.filter(child=world.case_without_household.child).exists()


def _household_changed(world, user):
    assert Household.objects.get(pk=world.household.pk).village_text == "Test Matrix Village"


def _sibling_joined(world, user):
    assert HouseholdChild.objects.filter(household=world.household, child=world.sibling_case.child).exists()


def _member_added(world, user):
    assert world.household.members.filter(name="Test Matrix Uncle").exists()


def _member_changed(world, user):
    assert HouseholdMember.objects.get(pk=world.member.pk).occupation == "casual_labour"


def _document_recorded(world, user):
    assert Document.objects.filter(household=world.household, kind="birth_certificate").exists()


def _child_changed(world, user):
    assert HouseholdChild.objects.get(pk=world.household_child.pk).school_name == "Test Matrix School"


def _identified(world, user):
    assert Linkage.objects.filter(case=world.case, scheme=world.unlinked_scheme).exists()


def _reapplied(world, user):
    assert Linkage.objects.get(pk=world.rejected_linkage.pk).attempt == 2


def _post(name, kwargs, data, effect, allowed=HOUSEHOLD_EDITORS, **extra) -> Route:
    return Route(
        name, method="post", allowed=allowed, kwargs=kwargs, data=data, ok=(302,), effect=effect, via_case=True, **extra
    )


ROUTES = [
    Route("schemes:scheme-list", allowed=ALL),
    Route("schemes:linkage-queue", allowed=LINKAGE_VIEWERS),
    Route("schemes:linkage-detail", allowed=LINKAGE_VIEWERS, kwargs=pk_of("linkage"), via_case=True),
    Route(
        "schemes:linkage-document-scan",
        allowed=LINKAGE_VIEWERS,
        kwargs=lambda w: {"pk": w.aadhaar_linkage.pk, "document_pk": w.document.pk},
        via_case=True,
    ),
    _post(
        "schemes:linkage-documents",
        pk_of("linkage"),
        lambda w: {},
        _linkage_status("linkage", LinkageStatus.DOCUMENTS_COMPLETE),
        allowed=LINKAGE_APPLIERS,
    ),
    _post(
        "schemes:linkage-apply",
        pk_of("ready_linkage"),
        lambda w: {"applied_on": today_iso(), "application_number": "RTPS-1", "office": "Block office"},
        _linkage_status("ready_linkage", LinkageStatus.APPLIED),
        allowed=LINKAGE_APPLIERS,
    ),
    _post(
        "schemes:linkage-sanction",
        pk_of("applied_linkage"),
        lambda w: {"sanctioned_on": today_iso(), "order": "ORDER-1", "amount": "100.00"},
        _linkage_status("applied_linkage", LinkageStatus.SANCTIONED),
        allowed=LINKAGE_DECIDERS,
    ),
    _post(
        "schemes:linkage-receive",
        pk_of("sanctioned_linkage"),
        lambda w: {"received_on": today_iso(), "verification": "document"},
        _linkage_status("sanctioned_linkage", LinkageStatus.RECEIVED),
        allowed=LINKAGE_DECIDERS,
    ),
    _post(
        "schemes:linkage-reject",
        pk_of("applied_linkage"),
        lambda w: {"rejected_on": today_iso(), "reason": "not_eligible"},
        _linkage_status("applied_linkage", LinkageStatus.REJECTED),
        allowed=LINKAGE_DECIDERS,
    ),
    _post(
        "schemes:linkage-reapply",
        pk_of("rejected_linkage"),
        lambda w: {"note": "documents corrected"},
        _reapplied,
        allowed=LINKAGE_APPLIERS,
    ),
    _post(
        "schemes:linkage-identify",
        world_case,
        lambda w: {"scheme": w.unlinked_scheme.pk},
        _identified,
        allowed=LINKAGE_APPLIERS,
    ),
    Route("schemes:household-detail-of-case", allowed=HOUSEHOLD_VIEWERS, kwargs=world_case, ok=(302,), via_case=True),
    # The world child has a household already: the form sends the officer to it.
    Route(
        "schemes:household-create", allowed=HOUSEHOLD_EDITORS, kwargs=world_case, ok=(302,), via_case=True, writes=True
    ),
    Route(
        "schemes:household-create",
        method="post",
        allowed=HOUSEHOLD_EDITORS,
        kwargs=lambda w: {"case_number": w.case_without_household.case_number},
        data=lambda w: _household_post(w) | {"child-parent_status": "both"},
        ok=(302,),
        effect=_household_recorded,
    ),
    Route("schemes:entitlement-card", allowed=HOUSEHOLD_VIEWERS, kwargs=world_case, via_case=True),
    Route("schemes:household-detail", allowed=HOUSEHOLD_VIEWERS, kwargs=pk_of("household"), via_case=True),
    Route("schemes:household-edit", allowed=HOUSEHOLD_EDITORS, kwargs=pk_of("household"), via_case=True, writes=True),
    _post(
        "schemes:household-edit",
        pk_of("household"),
        lambda w: _household_post(w, village_text="Test Matrix Village"),
        _household_changed,
    ),
    _post(
        "schemes:household-link-child",
        pk_of("household"),
        lambda w: {"case_number": w.sibling_case.case_number},
        _sibling_joined,
    ),
    Route("schemes:member-create", allowed=HOUSEHOLD_EDITORS, kwargs=pk_of("household"), via_case=True, writes=True),
    _post(
        "schemes:member-create",
        pk_of("household"),
        lambda w: {
            "name": "Test Matrix Uncle",
            "relation": "uncle",
            "sex": "m",
            "age_years": 40,
            "age_as_of": today_iso(),
        },
        _member_added,
    ),
    Route("schemes:document-create", allowed=HOUSEHOLD_EDITORS, kwargs=pk_of("household"), via_case=True, writes=True),
    _post(
        "schemes:document-create",
        pk_of("household"),
        lambda w: {"holder": f"child:{w.case.child_id}", "kind": "birth_certificate"},
        _document_recorded,
    ),
    Route(
        "schemes:household-child-edit",
        allowed=HOUSEHOLD_EDITORS,
        kwargs=pk_of("household_child"),
        via_case=True,
        writes=True,
    ),
    _post(
        "schemes:household-child-edit",
        pk_of("household_child"),
        lambda w: {"parent_status": "both", "enrolled_in_school": "on", "school_name": "Test Matrix School"},
        _child_changed,
    ),
    Route("schemes:member-edit", allowed=HOUSEHOLD_EDITORS, kwargs=pk_of("member"), via_case=True, writes=True),
    _post(
        "schemes:member-edit",
        pk_of("member"),
        lambda w: {
            "name": w.member.name,
            "relation": "mother",
            "sex": "f",
            "age_years": 34,
            "age_as_of": today_iso(),
            "marital_status": "widowed",
            "occupation": "casual_labour",
            "is_guardian": "on",
        },
        _member_changed,
    ),
    Route("schemes:document-scan", allowed=HOUSEHOLD_VIEWERS, kwargs=pk_of("document"), via_case=True),
    Route("schemes:village-options", allowed=HOUSEHOLD_EDITORS),
]
