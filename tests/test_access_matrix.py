"""Every URL pattern, every method, every member of the cast (see tests/access_matrix.py for the rules).

One world is built per run of this module (the cast, the places, each app's objects) inside a transaction that is
rolled back at the end; every request runs in a savepoint rolled back after it, so that each member of the cast
meets the same world and an allowed POST's effect is checked on the rows it wrote. Any request that is not an
allowed POST must leave every audited table as it was (the pghistory triggers count every insert, update and delete).
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pghistory.models
import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from guardian.shortcuts import assign_perm

from clts.accounts import access
from tests import access_matrix
from tests.access_matrix import METHODS, READS, ROLES, Route
from tests.conftest import build_cast, build_places, fast_settings

TESTS = Path(__file__).parent
ADMIN_NAMESPACE = "admin"
# Records that hold personal data and have no `scope`, and why that is right.
UNSCOPED = {
    "accounts.User": "officers' own accounts, not children's data: only the admin shows them, to admin staff",
    "rescue.CaseUserObjectPermission": "a grant itself; the admin shows only grants on cases the staff member sees",
    "matching.MatchModel": "the engine's trained weights and thresholds (its calibration audited): no child's data",
}


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
            yield from _url_names(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}" if entry.name else f"{namespace}<unnamed {entry.pattern}>"


def _portal_names() -> set[str]:
    return {name for name in _url_names() if not name.startswith(f"{ADMIN_NAMESPACE}:")}


def personal_data_models() -> set[type[models.Model]]:
    """Models decorated with track_personal_data, and any model with a foreign key to a case or a child."""
    case, child = apps.get_model("rescue", "Case"), apps.get_model("rescue", "Child")
    events = [m for m in apps.get_models() if issubclass(m, pghistory.models.Event) and not m._meta.proxy]
    found = {event.pgh_tracked_model for event in events}
    for model in apps.get_models():
        if model in events:
            continue
        for model_field in model._meta.get_fields():
            to_one = model_field.many_to_one or model_field.one_to_one
            if to_one and model_field.concrete and model_field.related_model in (case, child):
                found.add(model)
    return found


def _admin_names() -> set[str]:
    """The admin pages of every personal-data model registered in the admin."""
    from django.contrib import admin
    from import_export.admin import ExportMixin, ImportMixin

    names = set()
    for model in personal_data_models():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        prefix = f"{ADMIN_NAMESPACE}:{model._meta.app_label}_{model._meta.model_name}_"
        names |= {prefix + page for page in ("changelist", "change")}
        if isinstance(model_admin, ExportMixin):
            names.add(prefix + "export")
        if isinstance(model_admin, ImportMixin):
            names.add(prefix + "import")
    return names


# --- The world ------------------------------------------------------------------------------------------------


def build_world() -> SimpleNamespace:
    """The cast, the places and every app's objects (each app's `build` in its access routes), in the database."""
    places = build_places()
    world = SimpleNamespace(cast=build_cast(places), places=places)
    for module in _route_modules():
        build = getattr(module, "build", None)
        if build:
            build(world)
    assign_perm("view_case", world.cast.shared, world.case)
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The cast, the places and every app's objects, built once for the whole matrix and rolled back after it."""
    with django_db_blocker.unblock(), override_settings(**fast_settings(tmp_path_factory)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            world.sessions = _sign_in_everyone(world)
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _sign_in_everyone(world) -> dict[str, str]:
    """One session per member of the cast, opened once (signing in costs more than most pages)."""
    from django.test import Client

    sessions = {}
    for role in ROLES:
        client = Client()
        client.force_login(getattr(world.cast, role))
        sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def _as(client, world, role: str) -> None:
    client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]


@contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


_EVENT_TABLES: list[str] = []


def _audit_marks() -> tuple:
    """The last row of every audit table: any insert, update or delete of personal data moves one of them."""
    if not _EVENT_TABLES:
        user = apps.get_model("accounts", "User")
        for model in apps.get_models():
            event = issubclass(model, pghistory.models.Event) and not model._meta.proxy
            if event and model.pgh_tracked_model is not user:
                _EVENT_TABLES.append(connection.ops.quote_name(model._meta.db_table))
    # Our own models' table names, quoted: nothing from outside goes into this statement.
    sql = "SELECT " + ", ".join(f"(SELECT max(pgh_id) FROM {table})" for table in _EVENT_TABLES)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def _call(client, route: Route, world, method: str | None = None):
    url = reverse(route.name, kwargs=route.kwargs(world))
    method = method or route.method
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, route.data(world))
    return getattr(client, method)(url)


# --- Every pattern and method has a route; everything else is 405 ---------------------------------------------


ROUTES = all_routes()
STATS = access_matrix.STATS


def test_every_url_pattern_and_method_has_a_route():
    declared = {route.name for route in ROUTES}
    missing = sorted((_portal_names() | _admin_names()) - declared)
    assert not missing, f"URL patterns without an access-matrix Route: {missing}"
    pairs = [(route.name, route.method) for route in ROUTES]
    twice = sorted({pair for pair in pairs if pairs.count(pair) > 1})
    assert not twice, f"one Route per URL pattern and method: {twice}"


def test_every_model_holding_personal_data_has_a_scope():
    unscoped = []
    for model in personal_data_models():
        label = model._meta.label
        if label in UNSCOPED:
            continue
        if not (isinstance(getattr(model, "scope", None), access.Scope) and hasattr(model.objects, "visible_to")):
            unscoped.append(label)
    assert not unscoped, f"models holding personal data without `scope` and `visible_to`: {sorted(unscoped)}"


def test_every_allowed_post_names_its_effect():
    missing = [
        f"{route.name} {route.method}"
        for route in ROUTES
        if route.method == "post" and route.allowed and route.effect is None and not route.admin
    ]
    assert not missing, f"allowed POSTs without an effect to check: {missing}"


def _patterns_to_check() -> list[str]:
    return sorted({route.name for route in ROUTES if not route.admin})


@pytest.mark.django_db
@pytest.mark.parametrize("name", _patterns_to_check())
def test_a_method_no_route_declares_is_refused_with_405(name, world, client):
    routes = [route for route in ROUTES if route.name == name]
    declared = {route.method for route in routes}
    _as(client, world, "admin")
    for method in METHODS:
        if method in declared:
            continue
        with _rolled_back():
            before = _audit_marks()
            response = _call(client, routes[0], world, method=method)
            assert response.status_code == 405, f"{method.upper()} {name}: {response.status_code}"
            assert _audit_marks() == before
        STATS["wrong_method"] += 1


# --- What each member of the cast gets ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.name}:{r.method}")
def test_route_access(route: Route, world, client):
    started = time.monotonic()
    on_object = bool(route.kwargs(world))
    with _rolled_back():
        response = _call(client, route, world)
        assert response.status_code in route.anonymous, f"anonymous got {response.status_code}"
        if not route.public:
            assert "login" in response["Location"]
    for role in ROLES:
        user = getattr(world.cast, role)
        kind, statuses = route.expected(role, on_object=on_object)
        with _rolled_back():
            _as(client, world, role)
            before = _audit_marks()
            response = _call(client, route, world)
            assert response.status_code in statuses, f"{role} got {response.status_code}, expected {statuses}"
            if kind == "ok" and route.method == "post" and route.effect not in (None, READS):
                route.effect(world, user)
                if route.audited:
                    assert _audit_marks() != before, f"{role}: the POST was answered but wrote nothing audited"
            elif not (kind == "ok" and route.method == "post" and route.admin):
                assert _audit_marks() == before, f"{role} ({kind}) changed personal data"
        client.cookies.clear()
        STATS["requests"] += 1
    STATS["routes"] += 1
    STATS["seconds"] += time.monotonic() - started
