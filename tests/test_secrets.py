"""Production refuses placeholders: with the example's SECRET_KEY or IDENTIFIER_HASH_KEY the portal does not start
and `check --deploy` fails; with real random keys it passes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def _example_env() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _sep, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _run(*args: str, **overrides: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    env |= _example_env() | overrides
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _random() -> str:
    return secrets.token_urlsafe(64)


@pytest.mark.parametrize(
    "overrides",
    [
        {},  # both keys as in .env.example
        {"SECRET_KEY": _random()},  # the identifier key still the example's
        {"IDENTIFIER_HASH_KEY": _random()},
        {"SECRET_KEY": "my-Change-Me-key-" + _random(), "IDENTIFIER_HASH_KEY": _random()},
        {"SECRET_KEY": "x7Qw9", "IDENTIFIER_HASH_KEY": _random()},
        {"SECRET_KEY": "", "IDENTIFIER_HASH_KEY": _random()},
    ],
    ids=["example", "example-identifier-key", "example-secret-key", "change-me-inside", "short", "empty"],
)
def test_a_placeholder_key_stops_the_portal_and_the_deploy_check(overrides):
    check = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", **overrides)
    assert check.returncode != 0
    assert "ImproperlyConfigured" in check.stderr and (
        "placeholder" in check.stderr or "Set SECRET_KEY" in check.stderr
    )
    # The WSGI application (what gunicorn loads) does not start either, and the key is not printed.
    start = _run("-c", "import clts.wsgi", **overrides)
    assert start.returncode != 0 and "ImproperlyConfigured" in start.stderr
    for value in overrides.values():
        if value:
            assert value not in start.stderr


def test_real_random_keys_pass_the_deploy_check():
    check = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=_random(), IDENTIFIER_HASH_KEY=_random()
    )
    assert check.returncode == 0, check.stderr
