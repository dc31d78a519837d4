"""Every URL of trackchild_sync, and who gets what from it."""

from tests import factories as f
from tests.access_matrix import Route


def build(world) -> None:
    f.make_world_case(world)


ROUTES = [
    Route(
        "trackchild:cwc-order-create",
        allowed=frozenset({"cwc", "admin"}),
        kwargs=lambda w: {"case_number": w.case.case_number},
    ),
]
