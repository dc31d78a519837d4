"""Every URL of the rescue app, and who gets what from it."""

import io
from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from rescue.models import Interstate, TransferKind
from tests import factories as f
from tests.access_matrix import ALL, Route

# Roles that read cases (case.view / case.view_list); the field worker and the nodal officer do not.
VIEWERS = frozenset({"state", "district", "block", "cwc", "cci", "admin"})
WRITERS = frozenset({"district", "block", "admin"})


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "grey").save(buffer, format="PNG")
    return buffer.getvalue()


def build(world) -> None:
    """The shared Gaya case, a Gaya child being repatriated from Rajasthan, and a transfer from Nalanda to Gaya."""
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
    inbound_rescue.district = None
    inbound_rescue.district_text = "Jaipur"
    inbound_rescue.save(update_fields=["district", "district_text"])
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
    nalanda = f.make_district(state=places.bihar, name_en="Nalanda", short_code="NAL")
    world.transfer_case = f.make_case(district=nalanda, home_district=places.gaya, home_block=places.bodh_gaya)
    world.district_transfer = f.make_transfer(world.transfer_case)


def _case(world) -> dict:
    return {"case_number": world.case.case_number}


OUTSIDER = frozenset({"outsider"})

ROUTES = [
    Route("rescue:case-list", allowed=VIEWERS | {"outsider"}),
    Route("rescue:rescue-create", allowed=WRITERS | {"outsider"}),
    Route("rescue:child-matches", allowed=WRITERS | {"outsider"}),
    Route("rescue:block-options", allowed=ALL),
    Route("rescue:transfer-list", allowed=VIEWERS | {"outsider"}),
    Route("rescue:rescue-detail", allowed=VIEWERS, kwargs=lambda w: {"pk": w.rescue.pk}, hidden=OUTSIDER),
    Route("rescue:case-detail", allowed=VIEWERS, kwargs=_case, hidden=OUTSIDER),
    Route("rescue:child-photo", allowed=VIEWERS, kwargs=_case, hidden=OUTSIDER),
    Route(
        "rescue:case-transition",
        allowed=frozenset({"district", "block", "cwc", "admin"}),
        kwargs=_case,
        hidden=OUTSIDER,
    ),
    Route("rescue:case-transfer", allowed=WRITERS, kwargs=_case, hidden=OUTSIDER),
    Route(
        "rescue:transfer-step",
        allowed=WRITERS,
        kwargs=lambda w: {"case_number": w.inbound_case.case_number, "pk": w.repatriation.pk},
        hidden=OUTSIDER,
    ),
    Route(
        "rescue:transfer-acknowledge",
        allowed=frozenset({"district", "admin"}),
        method="post",
        ok=(302,),
        kwargs=lambda w: {"case_number": w.transfer_case.case_number, "pk": w.district_transfer.pk},
        hidden=OUTSIDER,
    ),
]
