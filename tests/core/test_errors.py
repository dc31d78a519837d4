"""The 403, 404 and 500 pages: the portal's layout, the reader's language, a way back; 500 needs no database."""

import pytest
from django.test import RequestFactory
from django.urls import get_resolver
from django.utils import translation

from clts.core import errors


@pytest.mark.django_db
def test_a_missing_page_is_answered_in_the_portal_layout_with_a_way_back(client, cast):
    client.force_login(cast.district)
    response = client.get("/no-such-page/", HTTP_REFERER="http://testserver/cases/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in page and 'id="main"' in page and "Skip to the content" in page
    assert 'href="http://testserver/cases/"' in page and 'href="/"' in page  # back, and home
    assert 'id="clts-nav"' in page  # the menu of a signed-in officer


@pytest.mark.django_db
def test_a_page_the_role_may_not_open_says_so_in_hindi_for_a_hindi_reader(client, cast):
    cast.field.language = "hi"
    cast.field.save(update_fields=["language"])
    client.force_login(cast.field)
    with translation.override("en"):  # the language the middleware turns on ends with the test
        response = client.get("/audit/", HTTP_REFERER="https://elsewhere.example/")
    page = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="hi">' in page and "अनुमति नहीं" in page
    assert "elsewhere.example" not in page  # a way back only to our own pages


def test_the_500_page_renders_without_a_database_or_a_request_context():
    # No django_db mark: any query would fail the test. No session, no user, no context processors.
    request = RequestFactory().get("/cases/", HTTP_REFERER="http://testserver/alerts/")
    with translation.override("hi"):
        response = errors.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="hi">' in page and "कुछ गड़बड़ हो गई" in page
    assert 'href="http://testserver/alerts/"' in page and 'href="/"' in page


def test_the_project_names_its_error_handlers():
    resolver = get_resolver()
    for code, view in ((403, errors.forbidden), (404, errors.not_found), (500, errors.server_error)):
        assert resolver.resolve_error_handler(code) is view


@pytest.mark.django_db
def test_a_form_sent_without_its_token_says_the_form_expired_and_leads_home(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.district)
    response = client.post("/accounts/language/", {"language": "hi"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "The form has expired" in page and 'href="/"' in page and 'id="main"' in page
