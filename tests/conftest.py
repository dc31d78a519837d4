"""The cast: one named user per role in Gaya district, and an outsider: the district officer of Patna."""

import os
from types import SimpleNamespace

import pytest

from clts.accounts.roles import Role
from tests import factories as f

# Tests never need a browser or Celery unless they ask for them; the e2e server runs in a thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path_factory):
    # Uploaded proofs and photos go to a temporary folder, never into the working tree.
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


@pytest.fixture
def places(db):
    bihar = f.make_state()
    gaya = f.make_district(state=bihar, name_en="Gaya", name_hi="गया", short_code="GAY")
    patna = f.make_district(state=bihar, name_en="Patna", name_hi="पटना", short_code="PAT")
    return SimpleNamespace(
        bihar=bihar,
        gaya=gaya,
        patna=patna,
        bodh_gaya=f.make_block(district=gaya, name_en="Bodh Gaya"),
        sherghati=f.make_block(district=gaya, name_en="Sherghati"),
        phulwari=f.make_block(district=patna, name_en="Phulwari"),
        rajasthan=f.make_state(name_en="Rajasthan", name_hi="राजस्थान", short_code="RJ"),
    )


@pytest.fixture
def cast(places):
    """One user per role, all in Gaya (the CWC and CCI are Gaya's); the outsider is Patna's district officer."""
    cwc = f.make_institution(kind="cwc", name="CWC Gaya", district=places.gaya)
    cci = f.make_institution(kind="cci", name="Children's Home Gaya", district=places.gaya)
    return SimpleNamespace(
        state=f.make_user(Role.STATE, username="state", state=places.bihar),
        district=f.make_user(Role.DISTRICT, username="district", district=places.gaya),
        block=f.make_user(Role.BLOCK, username="block", block=places.bodh_gaya),
        cwc=f.make_user(Role.CWC, username="cwc", institution=cwc, district=places.gaya),
        cci=f.make_user(Role.CCI, username="cci", institution=cci, district=places.gaya),
        field=f.make_user(Role.FIELD, username="field", block=places.bodh_gaya),
        nodal=f.make_user(Role.NODAL, username="nodal", department=f.make_department(code="food")),
        admin=f.make_user(Role.ADMIN, username="admin", is_staff=True, is_superuser=True),
        outsider=f.make_user(Role.DISTRICT, username="outsider", district=places.patna),
        cwc_institution=cwc,
        cci_institution=cci,
    )


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user, through the real login view's session setup."""

    def _login(user):
        client.force_login(user)
        return client

    return _login
