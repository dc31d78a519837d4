"""Access-matrix routes of schemes, on the world case (Bodh Gaya block, Gaya district): its household, a widowed
mother, a scanned document, and linkages to schemes of the nodal officer's department ("food") at each step.

Households are seen by the state and the case's district and block (the outsider, Patna's officer, gets 404);
linkages also by the nodal officer of the scheme's department. CWC, CCI and field roles have no schemes pages.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from schemes.models import Document, LinkageStatus
from tests.access_matrix import ALL, Route
from tests.factories import make_household, make_linkage, make_member, make_scheme, make_world_case

SCAN_NAME = "documents/access-matrix/scan.pdf"

HOUSEHOLD_VIEWERS = frozenset({"state", "district", "block", "admin"})
HOUSEHOLD_EDITORS = frozenset({"district", "block", "admin"})
LINKAGE_VIEWERS = frozenset({"state", "district", "block", "nodal", "admin"})
LINKAGE_APPLIERS = HOUSEHOLD_EDITORS
LINKAGE_DECIDERS = frozenset({"district", "block", "nodal", "admin"})
HIDDEN = frozenset({"outsider"})


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


def _pk(name):
    return lambda w: {"pk": getattr(w, name).pk}


def _case(w):
    return {"case_number": w.case.case_number}


def _today():
    return timezone.localdate().isoformat()


ROUTES = [
    Route("schemes:scheme-list", allowed=ALL),
    Route("schemes:linkage-queue", allowed=LINKAGE_VIEWERS | HIDDEN),
    Route("schemes:linkage-detail", allowed=LINKAGE_VIEWERS, kwargs=_pk("linkage"), hidden=HIDDEN),
    Route(
        "schemes:linkage-document-scan",
        allowed=LINKAGE_VIEWERS,
        kwargs=lambda w: {"pk": w.aadhaar_linkage.pk, "document_pk": w.document.pk},
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-documents",
        allowed=LINKAGE_APPLIERS,
        kwargs=_pk("linkage"),
        method="post",
        data=lambda w: {},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-apply",
        allowed=LINKAGE_APPLIERS,
        kwargs=_pk("ready_linkage"),
        method="post",
        data=lambda w: {"applied_on": _today(), "application_number": "RTPS-1", "office": "Block office"},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-sanction",
        allowed=LINKAGE_DECIDERS,
        kwargs=_pk("applied_linkage"),
        method="post",
        data=lambda w: {"sanctioned_on": _today(), "order": "ORDER-1", "amount": "100.00"},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-receive",
        allowed=LINKAGE_DECIDERS,
        kwargs=_pk("sanctioned_linkage"),
        method="post",
        data=lambda w: {"received_on": _today(), "verification": "document"},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-reject",
        allowed=LINKAGE_DECIDERS,
        kwargs=_pk("applied_linkage"),
        method="post",
        data=lambda w: {"rejected_on": _today(), "reason": "not_eligible"},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-reapply",
        allowed=LINKAGE_APPLIERS,
        kwargs=_pk("rejected_linkage"),
        method="post",
        data=lambda w: {"note": "documents corrected"},
        ok=(302, 200),
        hidden=HIDDEN,
    ),
    Route(
        "schemes:linkage-identify",
        allowed=LINKAGE_APPLIERS,
        kwargs=_case,
        method="post",
        data=lambda w: {"scheme": w.unlinked_scheme.pk},
        ok=(302,),
        hidden=HIDDEN,
    ),
    Route("schemes:household-detail-of-case", allowed=HOUSEHOLD_VIEWERS, kwargs=_case, ok=(302,), hidden=HIDDEN),
    Route("schemes:household-create", allowed=HOUSEHOLD_EDITORS, kwargs=_case, ok=(302,), hidden=HIDDEN),
    Route("schemes:entitlement-card", allowed=HOUSEHOLD_VIEWERS, kwargs=_case, hidden=HIDDEN),
    Route("schemes:household-detail", allowed=HOUSEHOLD_VIEWERS, kwargs=_pk("household"), hidden=HIDDEN),
    Route("schemes:household-edit", allowed=HOUSEHOLD_EDITORS, kwargs=_pk("household"), hidden=HIDDEN),
    Route(
        "schemes:household-link-child",
        allowed=HOUSEHOLD_EDITORS,
        kwargs=_pk("household"),
        method="post",
        data=lambda w: {"case_number": "NO-SUCH-CASE"},
        hidden=HIDDEN,
    ),
    Route("schemes:member-create", allowed=HOUSEHOLD_EDITORS, kwargs=_pk("household"), hidden=HIDDEN),
    Route("schemes:document-create", allowed=HOUSEHOLD_EDITORS, kwargs=_pk("household"), hidden=HIDDEN),
    Route("schemes:household-child-edit", allowed=HOUSEHOLD_EDITORS, kwargs=_pk("household_child"), hidden=HIDDEN),
    Route("schemes:member-edit", allowed=HOUSEHOLD_EDITORS, kwargs=_pk("member"), hidden=HIDDEN),
    Route("schemes:document-scan", allowed=HOUSEHOLD_VIEWERS, kwargs=_pk("document"), hidden=HIDDEN),
    Route("schemes:village-options", allowed=HOUSEHOLD_EDITORS | HIDDEN),
]
