"""The access matrix: every URL pattern of the project, and what each role gets from it.

Each app lists its routes in `tests/<app>/access_routes.py` as `ROUTES = [Route(...), ...]` and, when its
routes need objects, a `build(world)` function that adds them to the shared `world` (a SimpleNamespace that
already holds the cast and places). `tests/test_access_matrix.py` fails when any URL pattern has no Route.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("state", "district", "block", "cwc", "cci", "field", "nodal", "admin", "outsider")


@dataclass(frozen=True)
class Route:
    name: str  # URL name, "<namespace>:<name>"
    allowed: frozenset[str]  # roles of the cast that may use it
    kwargs: Callable = lambda world: {}  # URL kwargs from the world
    method: str = "get"
    data: Callable = lambda world: {}  # POST data
    ok: tuple[int, ...] = (200,)  # what an allowed role gets
    denied: tuple[int, ...] = (403, 404)  # what any other role gets
    # Roles that must get 404 (the object is outside their jurisdiction), not merely "denied".
    hidden: frozenset[str] = field(default_factory=frozenset)
    public: bool = False  # reachable without signing in (login page, health)
    anonymous: tuple[int, ...] = (302,)  # what a visitor who is not signed in gets


def routes(*items: Route) -> list[Route]:
    return list(items)


ALL = frozenset(ROLES)
