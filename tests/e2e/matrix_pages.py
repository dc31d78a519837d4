"""The portal's pages as the access matrix knows them: every GET route, the role that opens it, and its URL.

The sweeps (tests/e2e/test_every_page.py) and the page-weight benchmark (tests/bench/bench_page_weight.py) build
the matrix's world once (committed, since the browser talks to a live server in another thread) and open each
page as one member of the cast who is allowed to. A page another engineer adds with its Route is picked up here
without any change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access_matrix import Route
from tests.test_access_matrix import all_routes, build_world  # noqa: F401 (build_world: the sweeps import it here)

# Who opens a page, first allowed wins: the roles that work on a phone first (their pages must fit 360 px), then
# the office roles, then the administrator (only for pages nobody else may open).
OPENERS = ("field", "block", "cwc", "cci", "district", "state", "nodal", "admin")


@dataclass(frozen=True)
class MatrixPage:
    name: str  # the URL name, as in the matrix
    role: str | None  # the member of the cast who opens it; None for a public page, opened signed out
    url: str
    statuses: tuple[int, ...] = (200,)  # what the page answers (the health page says 503 without a worker)

    def __str__(self) -> str:
        return f"{self.name} ({self.url}) as {self.role or 'anonymous'}"


def opener(route: Route) -> str | None:
    if route.public:
        return None
    return next((role for role in OPENERS if role in route.allowed), None)


def matrix_pages(world) -> list[MatrixPage]:
    """One page per GET route of the portal (the Django admin is its own design and is left out)."""
    pages = []
    for route in all_routes():
        if route.method != "get" or route.admin:
            continue
        role = opener(route)
        if role is None and not route.public:
            continue
        url = reverse(route.name, kwargs=route.kwargs(world))
        statuses = route.anonymous if route.public else route.ok
        pages.append(MatrixPage(route.name, role, url, tuple(s for s in statuses if s != 302) or (200,)))
    return pages


def session_cookie(user, base_url: str) -> dict:
    """A signed-in session for `user`, as a browser cookie (signing in through the form costs a page per role)."""
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}
