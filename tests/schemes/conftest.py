import pytest

from schemes.catalogue import catalogue_seed
from schemes.models import Scheme


@pytest.fixture
def catalogue(cast):
    """The seeded scheme catalogue, by code (after the cast, whose nodal officer has the "food" department)."""
    catalogue_seed()
    return {scheme.code: scheme for scheme in Scheme.objects.select_related("department")}
