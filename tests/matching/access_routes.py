"""The review queue of the nightly duplicate pass (rescue:duplicate-*), and who gets what from it.

A pair: a Patna child found to be the world child (Gaya) registered again; Gaya's district officer holds it, as
the district holding the earlier record, and the state sees it.
"""

from django.utils import timezone

from rescue.models import DuplicatePair
from tests import factories as f
from tests.access_matrix import Route

HOLDERS = frozenset({"state", "district", "admin"})
DECIDERS = frozenset({"district", "admin"})


def build(world) -> None:
    f.make_world_case(world)
    if getattr(world, "duplicate_pair", None) is not None:
        return
    places = world.places
    later = f.make_case(district=places.patna, home_district=places.patna)
    world.duplicate_pair = DuplicatePair.objects.create(
        child=later.child,
        case=later,
        earlier_child=world.child,
        earlier_case=world.case,
        probability=0.99,
        found_at=timezone.now(),
    )


def _rejected(world, user):
    pair = DuplicatePair.objects.get(pk=world.duplicate_pair.pk)
    assert pair.status == "rejected" and pair.decided_by == user


ROUTES = [
    Route("rescue:duplicate-list", allowed=HOLDERS),
    Route("rescue:duplicate-detail", allowed=HOLDERS, kwargs=lambda w: {"pk": w.duplicate_pair.pk}),
    Route(
        "rescue:duplicate-decide",
        method="post",
        allowed=DECIDERS,
        kwargs=lambda w: {"pk": w.duplicate_pair.pk},
        data=lambda w: {"decision": "reject", "note": "Another father and village."},
        ok=(302,),
        effect=_rejected,
    ),
]
