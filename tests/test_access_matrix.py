"""Every URL pattern, every role: anonymous is sent to sign in, the wrong role gets 403/404, the right one 200."""

import importlib
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_matrix import ROLES, Route

TESTS = Path(__file__).parent
# Third-party URL trees that are tested by their own projects; only their root is checked here.
EXTERNAL_NAMESPACES = {"admin"}


def _route_modules():
    for info in pkgutil.iter_modules([str(TESTS)]):
        if info.ispkg and (TESTS / info.name / "access_routes.py").exists():
            yield importlib.import_module(f"tests.{info.name}.access_routes")


def all_routes() -> list[Route]:
    return [route for module in _route_modules() for route in module.ROUTES]


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in EXTERNAL_NAMESPACES:
                continue
            yield from _url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def test_every_url_pattern_has_an_access_route():
    covered = {route.name for route in all_routes()}
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"URL patterns without an access-matrix Route: {missing}"


@pytest.fixture
def world(cast, places):
    world = SimpleNamespace(cast=cast, places=places)
    for module in _route_modules():
        build = getattr(module, "build", None)
        if build:
            build(world)
    return world


def _call(client, route: Route, world):
    url = reverse(route.name, kwargs=route.kwargs(world))
    if route.method == "post":
        return client.post(url, route.data(world))
    return client.get(url)


@pytest.mark.django_db
@pytest.mark.parametrize("route", all_routes(), ids=lambda r: r.name)
def test_route_access(route: Route, world, client):
    response = _call(client, route, world)
    assert response.status_code in route.anonymous, f"anonymous got {response.status_code}"
    if not route.public:
        assert "/accounts/login/" in response["Location"]
    for role in ROLES:
        client.force_login(getattr(world.cast, role))
        response = _call(client, route, world)
        if role in route.allowed:
            expected = route.ok
        elif role in route.hidden:
            expected = (404,)
        else:
            expected = route.denied
        assert response.status_code in expected, f"{role} got {response.status_code}, expected {expected}"
        client.logout()
