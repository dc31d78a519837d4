"""Sign-in security (OWASP ASVS 5.0 level 2): lockout, uniform answers, password rules, session lifetime."""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse

from clts.accounts.middleware import SESSION_STARTED
from tests.factories import PASSWORD

LOGIN = "/accounts/login/"
pytestmark = pytest.mark.django_db


def _attempt(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7")


def test_lockout_after_configured_failures(client, cast):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _attempt(client, "district", "wrong password here")
        assert response.status_code == 200
    # The failure that reaches the limit locks the account from this address; so does every attempt after it.
    assert _attempt(client, "district", "wrong password here").status_code == 429
    locked = _attempt(client, "district", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The lock is per username and IP: the same officer from another computer can still sign in.
    other = client.post(LOGIN, {"username": "district", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 302


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, cast):
    wrong = _attempt(client, "district", "not the password at all")
    unknown = _attempt(client, "nobody-by-this-name", "not the password at all")
    assert wrong.status_code == unknown.status_code == 200
    message = "The username or password is not correct."
    assert message in wrong.content.decode() and message in unknown.content.decode()
    # The typed username is kept so the officer can correct the password only.
    assert 'value="district"' in wrong.content.decode()


@pytest.mark.parametrize(
    "password",
    [
        "short pass1",  # 11 characters
        "password1234",  # common
        "x" * 129,  # beyond the upper bound
    ],
)
def test_weak_or_absurd_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(
    "password",
    [
        "lanterns rivers cobalt",  # lower-case words only: no composition rules
        "q7#Lm2!vR9@xT4$kW8%nB3^pZ6&jH1*cF5(dG0)sY2-aE7+uI4=oK9",  # 56 mixed characters
        "a sixty four character passphrase made of words is accepted ok!",
    ],
)
def test_long_passphrases_are_accepted(password):
    assert len(password) >= 12
    validate_password(password)


def test_sixty_four_character_password_works_for_sign_in(client, cast):
    passphrase = "river " * 10 + "bank"
    assert len(passphrase) == 64
    cast.block.set_password(passphrase)
    cast.block.save()
    assert client.post(LOGIN, {"username": "block", "password": passphrase}).status_code == 302


def test_idle_session_expires_on_the_server(client, cast):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    client.post(LOGIN, {"username": "district", "password": PASSWORD})
    assert client.get("/").status_code == 200
    Session.objects.update(expire_date="2000-01-01T00:00:00Z")
    response = client.get("/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_session_ends_twelve_hours_after_sign_in_even_when_active(client, cast):
    client.post(LOGIN, {"username": "district", "password": PASSWORD})
    session = client.session
    session[SESSION_STARTED] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and LOGIN in response["Location"]
    assert client.get("/").status_code == 302  # signed out for good, not just redirected once


def test_logout_ends_the_session_on_the_server(client, cast):
    client.post(LOGIN, {"username": "district", "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()


def test_password_change_ends_every_other_session(client, cast, django_user_model):
    from django.test import Client

    other_device = Client()
    other_device.post(LOGIN, {"username": "district", "password": PASSWORD})
    client.post(LOGIN, {"username": "district", "password": PASSWORD})
    new = "a brand new passphrase for the district"
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this session continues
    response = other_device.get("/")
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_rejected_password_change_keeps_the_password(client, cast):
    client.force_login(cast.district)
    response = client.post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    cast.district.refresh_from_db()
    assert cast.district.check_password(PASSWORD)


def test_deactivation_ends_sessions_on_the_server(client, cast):
    client.post(LOGIN, {"username": "district", "password": PASSWORD})
    key = client.session.session_key
    cast.district.is_active = False
    cast.district.save()
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/").status_code == 302


def test_pages_with_personal_data_are_not_cached(client, cast):
    client.force_login(cast.district)
    response = client.get("/")
    assert "no-store" in response["Cache-Control"]


def test_pages_allow_only_our_own_scripts(client, cast):
    client.force_login(cast.district)
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert "Content-Security-Policy" in client.get(reverse("accounts:login"))


def test_admin_lives_at_the_url_set_by_the_environment():
    code = "from django.urls import reverse; print(reverse('admin:index'))"
    env = os.environ | {"ADMIN_URL": "back-office-93b1/", "DEBUG": "on"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip().splitlines()[-1] == "/back-office-93b1/"


def test_lockout_uses_the_client_address_our_proxy_reports(client, cast, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    proxy = "172.16.0.2"
    # The client forges an address at the left; our proxy appends the real one at the right.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "district", "password": "wrong password here"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR=f"{_}.{_}.{_}.{_}, 198.51.100.23",
        )
    locked = client.post(
        LOGIN,
        {"username": "district", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert locked.status_code == 429
    # Another office behind the same proxy is not locked out by it.
    other = client.post(
        LOGIN,
        {"username": "district", "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert other.status_code == 302
