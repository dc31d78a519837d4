"""The cast: one named user per role in Gaya district, and outsiders of the same roles elsewhere.

- insiders: state, district, block (Bodh Gaya), cwc and cci (Gaya's), police (Gaya's town police station), dcpu
  (Gaya's District Child Protection Unit), field (Bodh Gaya), nodal (food), admin;
- outsider: the district officer of Patna; block_other: the block officer of Sherghati (Gaya, another block);
  cwc_other and cci_other: Patna's CWC member and CCI staff; police_other: another police station of Gaya;
  dcpu_other: Patna's DCPU; field_other: a Bodh Gaya field worker not assigned to the world case's visits;
  nodal_other: the nodal officer of another department; staff: Patna's district officer with the admin's staff
  access and model permissions (what a misconfigured staff flag would give);
- shared: Nalanda's district officer, to whom the access matrix shares the world case for reading.
"""

import os
from types import SimpleNamespace

import pytest

from clts.accounts.roles import Role
from tests import factories as f

# Tests never need a browser or Celery unless they ask for them; the e2e server runs in a thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def fast_settings(tmp_path_factory) -> dict:
    """Uploaded proofs and photos in a temporary folder (never the working tree), and a fast password hasher."""
    return {
        "MEDIA_ROOT": str(tmp_path_factory.getbasetemp() / "media"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }


@pytest.fixture(scope="session", autouse=True)
def _stylesheet():
    """Pages link static/build/clts.css, which `manage.py build_css` writes from the templates (git keeps no copy)."""
    from clts.core import css

    css.build()


@pytest.fixture(autouse=True)
def _fast_settings(settings, tmp_path_factory):
    for name, value in fast_settings(tmp_path_factory).items():
        setattr(settings, name, value)
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }


def build_places() -> SimpleNamespace:
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


def build_cast(places) -> SimpleNamespace:
    from django.contrib.auth.models import Permission

    cwc = f.make_institution(kind="cwc", name="CWC Gaya", district=places.gaya)
    cci = f.make_institution(kind="cci", name="Children's Home Gaya", district=places.gaya)
    patna_cwc = f.make_institution(kind="cwc", name="CWC Patna", district=places.patna)
    patna_cci = f.make_institution(kind="cci", name="Children's Home Patna", district=places.patna)
    station = f.make_institution(kind="police", name="Police Station Gaya Town", district=places.gaya)
    other_station = f.make_institution(kind="police", name="Police Station Sherghati", district=places.gaya)
    dcpu = f.make_institution(kind="dcpu", name="DCPU Gaya", district=places.gaya)
    patna_dcpu = f.make_institution(kind="dcpu", name="DCPU Patna", district=places.patna)
    nalanda = f.make_district(state=places.bihar, name_en="Nalanda", name_hi="नालंदा", short_code="NAL")
    staff = f.make_user(Role.DISTRICT, username="staff", district=places.patna, is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["rescue", "rehabilitation", "schemes", "trackchild_sync"]
        ).exclude(codename__startswith="delete_")
    )
    return SimpleNamespace(
        state=f.make_user(Role.STATE, username="state", state=places.bihar),
        district=f.make_user(Role.DISTRICT, username="district", district=places.gaya),
        block=f.make_user(Role.BLOCK, username="block", block=places.bodh_gaya),
        cwc=f.make_user(Role.CWC, username="cwc", institution=cwc, district=places.gaya),
        cci=f.make_user(Role.CCI, username="cci", institution=cci, district=places.gaya),
        police=f.make_user(Role.POLICE, username="police", institution=station, district=places.gaya),
        dcpu=f.make_user(Role.DCPU, username="dcpu", institution=dcpu, district=places.gaya),
        field=f.make_user(Role.FIELD, username="field", block=places.bodh_gaya),
        nodal=f.make_user(Role.NODAL, username="nodal", department=f.make_department(code="food")),
        admin=f.make_user(Role.ADMIN, username="admin", is_staff=True, is_superuser=True),
        outsider=f.make_user(Role.DISTRICT, username="outsider", district=places.patna),
        block_other=f.make_user(Role.BLOCK, username="block_other", block=places.sherghati),
        cwc_other=f.make_user(Role.CWC, username="cwc_other", institution=patna_cwc, district=places.patna),
        cci_other=f.make_user(Role.CCI, username="cci_other", institution=patna_cci, district=places.patna),
        police_other=f.make_user(Role.POLICE, username="police_other", institution=other_station, district=places.gaya),
        dcpu_other=f.make_user(Role.DCPU, username="dcpu_other", institution=patna_dcpu, district=places.patna),
        field_other=f.make_user(Role.FIELD, username="field_other", block=places.bodh_gaya),
        nodal_other=f.make_user(Role.NODAL, username="nodal_other", department=f.make_department(code="health")),
        staff=staff,
        shared=f.make_user(Role.DISTRICT, username="shared", district=nalanda),
        cwc_institution=cwc,
        cci_institution=cci,
        police_station=station,
        dcpu_institution=dcpu,
        patna_cwc=patna_cwc,
    )


@pytest.fixture
def places(db):
    return build_places()


@pytest.fixture
def cast(places):
    """One user per role, all in Gaya (the CWC and CCI are Gaya's), and the outsiders (see the module's docstring)."""
    return build_cast(places)


@pytest.fixture
def login(client):
    """login(user) signs the test client in as that user, through the real login view's session setup."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


def pytest_sessionfinish(session):
    """Under pytest-xdist, each worker hands its share of the access matrix's count to the controller."""
    from tests.access_matrix import STATS

    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["access_matrix"] = dict(STATS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    from tests.access_matrix import STATS

    STATS.update(getattr(node, "workeroutput", {}).get("access_matrix", {}))


def pytest_terminal_summary(terminalreporter):
    """The size of the access matrix, when it ran: routes (URL pattern x method) x members of the cast."""
    from tests.access_matrix import ROLES, STATS

    if STATS["routes"]:
        terminalreporter.write_line(
            f"access matrix: {STATS['routes']} routes (URL pattern x method) x {len(ROLES)} members of the cast "
            f"(+ anonymous) = {STATS['requests']} requests checked, plus {STATS['wrong_method']} wrong-method "
            f"requests answered 405; {STATS['seconds']:.0f} s"
        )
