import io

import pytest
from django.core.management import call_command

from clts.geo.models import District
from tests import factories as f


@pytest.fixture
def bihar(db):
    """Bihar's 38 districts and 537 blocks as shipped (LGD codes and Hindi names) and the home state."""
    call_command("load_lgd", verbosity=0, stdout=io.StringIO())
    return f.make_home_state()


@pytest.fixture
def gaya(bihar):
    return District.objects.get(state=bihar, name_en="Gaya")


@pytest.fixture
def admin_user(bihar, gaya):
    """The state's administrator; Gaya has its CWC (production is recorded before it)."""
    from clts.accounts.roles import Role

    f.make_institution(kind="cwc", name="CWC Gaya", district=gaya)
    return f.make_user(Role.ADMIN, username="import-admin", is_staff=True, is_superuser=True)
