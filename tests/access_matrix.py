"""The access matrix: every URL pattern and method of the project, and what each member of the cast gets from it.

Each app lists its routes in `tests/<app>/access_routes.py` as `ROUTES = [Route(...), ...]`, one Route per URL
pattern and HTTP method, and, when its routes need objects, a `build(world)` function that adds them to the shared
`world` (a SimpleNamespace that already holds the cast and places). `tests/test_access_matrix.py` fails when a URL
pattern or one of its methods has no Route, when a method no Route declares is not answered 405, when an allowed
POST has no `effect` (a function asserting what it wrote), and when a personal-data model has no scope.

The cast (tests/conftest.py): one user per role in Gaya; outsiders of the same role elsewhere (another district's
officer, CWC member, CCI staff and DCPU, another police station of Gaya, a block officer of another block of Gaya,
a field worker not assigned to the case's visits, another department's nodal officer, a staff member of another
district who may use the admin); and an officer of a third district with whom the world case is shared for
reading (a django-guardian grant).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

INSIDERS = ("state", "district", "block", "cwc", "cci", "police", "dcpu", "field", "nodal", "admin")
# Each outsider and the insider of the same role it mirrors.
OUTSIDER_OF = {
    "outsider": "district",  # Patna's district officer
    "block_other": "block",  # Sherghati's block officer (Gaya district, another block)
    "cwc_other": "cwc",  # a member of Patna's CWC
    "cci_other": "cci",  # staff of Patna's children's home
    "police_other": "police",  # another police station of Gaya
    "dcpu_other": "dcpu",  # Patna's District Child Protection Unit
    "field_other": "field",  # a field worker of Bodh Gaya not assigned to the case's visits
    "nodal_other": "nodal",  # the nodal officer of another department
    "staff": "district",  # Patna's district officer with admin access (is_staff and model permissions)
}
OUTSIDERS = frozenset(OUTSIDER_OF)
SHARED = "shared"  # Nalanda's district officer, with a read grant on the world case
ROLES = (*INSIDERS, *OUTSIDER_OF, SHARED)
ALL = frozenset(ROLES)
METHODS = ("get", "post", "put", "patch", "delete")
# What the matrix did in this run, printed at the end of the test session (tests/conftest.py).
STATS: Counter = Counter()


def _nothing(world) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    """One URL pattern and one method, and who gets what from it.

    `allowed` get `ok`; `refused` reach the page but their POST is refused (the page again, with the reason) and
    nothing is written; `hidden` must get 404 (the object is outside their area); anyone else gets `denied`.
    Outsiders not named follow their insider: on a route about one object (`kwargs` not empty) they get 404 where
    the insider is allowed, and what the insider gets otherwise; on a list or form without an object they get what
    the insider gets. The shared officer follows the district officer on the world case's own objects (`via_case`):
    allowed to read, 403 on a page that `writes`; elsewhere they are an outsider.
    An allowed POST must name its `effect`: effect(world, user) asserts what the request wrote; `READS` for a POST
    that only reads (a search) and must write nothing.
    """

    name: str  # URL name, "<namespace>:<name>"
    allowed: frozenset[str]
    kwargs: Callable = _nothing
    method: str = "get"
    data: Callable = _nothing  # POST data (files as SimpleUploadedFile)
    ok: tuple[int, ...] = (200,)
    denied: tuple[int, ...] = (403, 404)
    hidden: frozenset[str] = field(default_factory=frozenset)
    refused: frozenset[str] = field(default_factory=frozenset)
    public: bool = False  # reachable without signing in (login page, health)
    anonymous: tuple[int, ...] = (302,)
    effect: Callable | None = None
    writes: bool | None = None  # a page that changes something; default: a POST
    via_case: bool = False  # about the world case or one of its own objects (its grant reaches it)
    admin: bool = False  # a Django admin page: only admin staff reach it
    audited: bool = True  # an allowed POST writes an audited table (not so: signing out, choosing a language)
    expect: dict = field(default_factory=dict)  # role -> (kind, statuses), where the rules above do not fit

    @property
    def is_write(self) -> bool:
        return self.method != "get" if self.writes is None else self.writes

    def expected(self, role: str, *, on_object: bool) -> tuple[str, tuple[int, ...]]:
        """("ok" | "refused" | "denied", statuses) for one member of the cast."""
        if role in self.expect:
            return self.expect[role]
        if role in self.allowed:
            return "ok", self.ok
        if role in self.refused:
            return "refused", (200,)
        if role in self.hidden:
            return "denied", (404,)
        if self.admin:
            # The admin sends everyone else to its own sign-in page.
            return "denied", self.denied
        if role == SHARED:
            if self.via_case and ("district" in self.allowed or "district" in self.refused):
                return ("denied", (403,)) if self.is_write else ("ok", self.ok)
            return self.expected("outsider", on_object=on_object)
        if role in OUTSIDER_OF:
            insider = OUTSIDER_OF[role]
            kind, statuses = self.expected(insider, on_object=on_object)
            if on_object and kind != "denied":
                return "denied", (404,)
            return kind, statuses
        return "denied", self.denied


def pk_of(name: str) -> Callable:
    """The kwargs of a route about the world's object `name`."""
    return lambda world: {"pk": getattr(world, name).pk}


def world_case(world) -> dict:
    """The kwargs of a route about the world case."""
    return {"case_number": world.case.case_number}


def today_iso() -> str:
    """Today's date as a date field is posted."""
    return timezone.localdate().isoformat()


def form_page(name: str, *, allowed, data, effect, kwargs=_nothing, via_case=False, **post) -> tuple[Route, Route]:
    """A page with a form: its GET (a page that writes) and its POST, for the same roles, redirecting once it has
    written `effect`; `post` adds to the POST's Route (`refused`, `expect` ...). Used as `*form_page(...)`."""
    return (
        Route(name, allowed=allowed, kwargs=kwargs, via_case=via_case, writes=True),
        Route(
            name,
            method="post",
            allowed=allowed,
            kwargs=kwargs,
            via_case=via_case,
            data=data,
            ok=(302,),
            effect=effect,
            **post,
        ),
    )


def READS(world, user) -> None:  # noqa: N802  (a marker used as `effect=READS`)
    """The effect of a POST that only reads (a search, a match): it writes nothing, which the matrix checks."""
