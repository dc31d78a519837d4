"""Every URL of the rescue app, and who gets what from it.

The world case (Bodh Gaya, in a Gaya CCI) with its child's photo; a Gaya child being repatriated from Rajasthan; a
case transferred from Jehanabad to Gaya awaiting acknowledgment; and a link request filed by Patna for a child who
may be the world child (Gaya's district officer holds it).
"""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from rescue.models import Case, Interstate, LinkRequest, RescueOperation, Transfer, TransferKind
from tests import factories as f
from tests.access_matrix import ALL, READS, Route, form_page, world_case
from tests.rescue.conftest import local_input, registration_post

# Roles that read cases (case.view / case.view_list); the nodal officer does not. The field worker opens the case
# page (and the child's photo) of a case whose visits are assigned to them, never the lists.
VIEWERS = frozenset({"state", "district", "block", "cwc", "cci", "admin"})
CASE_READERS = VIEWERS | {"field"}
WRITERS = frozenset({"district", "block", "admin"})
HOLDERS = frozenset({"state", "district", "admin"})
DECIDERS = frozenset({"district", "admin"})
# Officers of other areas: a rescue they register in Bodh Gaya is refused ("outside your area").
ELSEWHERE = frozenset({"outsider", "staff", "shared", "block_other"})


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "grey").save(buffer, format="PNG")
    return buffer.getvalue()


def build(world) -> None:
    f.make_world_case(world)
    if getattr(world, "repatriation", None) is not None:
        return
    if not world.child.photo:
        world.child.photo.save("upload.png", ContentFile(_png()), save=True)
    places, cast = world.places, world.cast
    inbound_rescue = f.make_rescue(
        district=places.gaya,
        state=places.rajasthan,
        rescued_at=timezone.now() - timedelta(days=4),
        created_by=cast.district,
    )
    RescueOperation.objects.filter(pk=inbound_rescue.pk).update(district=None, district_text="Jaipur")
    world.inbound_case = f.make_case(
        district=None,
        home_district=places.gaya,
        home_block=places.bodh_gaya,
        rescue=inbound_rescue,
        interstate=Interstate.INBOUND,
        child=f.make_child(home_district=places.gaya, home_block=places.bodh_gaya),
    )
    world.repatriation = f.make_transfer(
        world.inbound_case,
        kind=TransferKind.REPATRIATION,
        from_state=places.rajasthan,
        from_district=None,
        to_district=places.gaya,
    )
    jehanabad = f.make_district(state=places.bihar, name_en="Jehanabad", short_code="JEH")
    world.transfer_case = f.make_case(district=jehanabad, home_district=places.gaya, home_block=places.bodh_gaya)
    world.district_transfer = f.make_transfer(world.transfer_case)
    patna_case = f.make_case(district=places.patna, home_district=places.patna)
    world.link_request = f.make_link_request(
        patna_case, world.case, filed_by=cast.outsider, earlier_child=world.child, score=88
    )


def _registration(world) -> dict:
    places, cast = world.places, world.cast
    data = registration_post(places, cast, [{"name": "Test Matrix Kid Alpha", "father_name": "Test Matrix Father"}])
    data["rescue-rescued_at"] = local_input(timezone.now() - timedelta(hours=2))
    return data


def _registered(world, user):
    assert Case.objects.filter(rescue__created_by=user, child__name="Test Matrix Kid Alpha").exists()


def _correction(world) -> dict:
    """The world child's particulars as the correction form shows them, with the name corrected."""
    from rescue.services.corrections import CHILD_CORRECTABLE

    child = world.child
    data = {f"child-{name}": getattr(child, name) or "" for name in CHILD_CORRECTABLE}
    data["child-date_of_birth"] = child.date_of_birth.isoformat() if child.date_of_birth else ""
    data["child-age_years"] = child.age_years if child.age_years is not None else ""
    data |= {"part": "child", "child-name": "Test Child World Corrected", "child-reason": "Test: spelling."}
    return data


def _corrected(world, user):
    from rescue.models import CaseEvent

    assert Case.objects.get(pk=world.case.pk).child.name == "Test Child World Corrected"
    assert world.case.events.filter(kind=CaseEvent.Kind.CORRECTED, actor=user).exists()


def _moved(world, user):
    assert Case.objects.get(pk=world.case.pk).status == "lost_contact"


def _transferred(world, user):
    assert Transfer.objects.filter(case=world.case, to_district=world.places.patna, initiated_by=user).exists()


def _escorted(world, user):
    transfer = Transfer.objects.get(pk=world.repatriation.pk)
    assert transfer.stage == "escort" and transfer.escort_name == "Test Escort"


def _acknowledged(world, user):
    assert Transfer.objects.get(pk=world.district_transfer.pk).acknowledged_by == user


def _rejected(world, user):
    request = LinkRequest.objects.get(pk=world.link_request.pk)
    assert request.status == "rejected" and request.decided_by == user


ROUTES = [
    Route("rescue:case-list", allowed=VIEWERS),
    # A search is a POST: the name typed never reaches a URL.
    Route("rescue:case-list", method="post", allowed=VIEWERS, data=lambda w: {"q": "Test Child World"}, effect=READS),
    Route("rescue:rescue-create", allowed=WRITERS),
    Route(
        "rescue:rescue-create",
        method="post",
        allowed=WRITERS,
        refused=ELSEWHERE,
        data=_registration,
        ok=(302,),
        effect=_registered,
    ),
    Route(
        "rescue:child-matches",
        method="post",
        allowed=WRITERS,
        data=lambda w: {"prefix": "children-0", "children-0-name": "Test Child World", "children-0-sex": "m"},
        effect=READS,
    ),
    Route("rescue:block-options", allowed=ALL),
    Route("rescue:transfer-list", allowed=VIEWERS),
    Route("rescue:rescue-detail", allowed=VIEWERS, kwargs=lambda w: {"pk": w.rescue.pk}, via_case=True),
    Route("rescue:case-detail", allowed=CASE_READERS, kwargs=world_case, via_case=True),
    Route("rescue:child-photo", allowed=CASE_READERS, kwargs=world_case, via_case=True),
    Route(
        "rescue:case-transition",
        allowed=frozenset({"district", "block", "cwc", "admin"}),
        kwargs=world_case,
        via_case=True,
        writes=True,
    ),
    # The district decides a loss of contact; the block and the CWC have no move to make here (orders are theirs).
    Route(
        "rescue:case-transition",
        method="post",
        allowed=DECIDERS,
        refused=frozenset({"block", "cwc"}),
        kwargs=world_case,
        via_case=True,
        data=lambda w: {"to": "lost_contact", "reason": "The family moved without word."},
        ok=(302,),
        effect=_moved,
    ),
    *form_page(
        "rescue:case-correct", allowed=WRITERS, kwargs=world_case, via_case=True, data=_correction, effect=_corrected
    ),
    *form_page(
        "rescue:case-transfer",
        allowed=WRITERS,
        kwargs=world_case,
        via_case=True,
        data=lambda w: {"to_district": w.places.patna.pk, "reason": "The family lives in Patna."},
        effect=_transferred,
    ),
    *form_page(
        "rescue:transfer-step",
        allowed=WRITERS,
        kwargs=lambda w: {"case_number": w.inbound_case.case_number, "pk": w.repatriation.pk},
        data=lambda w: {"step": "escort", "escort_name": "Test Escort"},
        effect=_escorted,
    ),
    Route(
        "rescue:transfer-acknowledge",
        allowed=DECIDERS,
        method="post",
        ok=(302,),
        kwargs=lambda w: {"case_number": w.transfer_case.case_number, "pk": w.district_transfer.pk},
        effect=_acknowledged,
    ),
    Route("rescue:link-request-list", allowed=HOLDERS),
    Route("rescue:link-request-detail", allowed=HOLDERS, kwargs=lambda w: {"pk": w.link_request.pk}),
    Route(
        "rescue:link-request-decide",
        method="post",
        allowed=DECIDERS,
        kwargs=lambda w: {"pk": w.link_request.pk},
        data=lambda w: {"decision": "reject", "note": "A different family."},
        ok=(302,),
        effect=_rejected,
    ),
    Route(
        "rescue:link-request-photo",
        allowed=HOLDERS,
        kwargs=lambda w: {"pk": w.link_request.pk, "which": "earlier"},
    ),
]
