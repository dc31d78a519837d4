"""Every URL of trackchild_sync, and who gets what from it: the CWC order form of the world case (in a CCI)."""

from django.utils import timezone

from rescue.models import Status
from tests import factories as f
from tests.access_matrix import Route
from trackchild_sync.models import CwcOrder

RECORDERS = frozenset({"cwc", "admin"})


def build(world) -> None:
    f.make_world_case(world)


def _case(world) -> dict:
    return {"case_number": world.case.case_number}


def _restored(world, user):
    assert CwcOrder.objects.filter(case=world.case, kind="restoration", recorded_by=user).exists()
    # The world case's package and visits have started (rehabilitation's routes), so the status follows the work
    # on from "restored" (rehabilitation.progress); the restoration itself is on the timeline.
    assert world.case.events.filter(to_status=Status.RESTORED, actor=user).exists()


ROUTES = [
    Route("trackchild:cwc-order-create", allowed=RECORDERS, kwargs=_case, via_case=True, writes=True),
    Route(
        "trackchild:cwc-order-create",
        method="post",
        allowed=RECORDERS,
        kwargs=_case,
        via_case=True,
        data=lambda w: {
            "kind": "restoration",
            "order_number": "CWC/GAYA/1",
            "ordered_on": timezone.localdate().isoformat(),
            "restored_to": "Test Mother, at the family home",
        },
        ok=(302,),
        effect=_restored,
    ),
]
