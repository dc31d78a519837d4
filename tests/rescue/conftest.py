"""Shared pieces of the rescue tests: the home state, and registration data as the form hands it over."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.fixture
def home(places):
    """Bihar as the deployment's home state (settings.HOME_STATE)."""
    return f.make_home_state()


def rescue_data(places, **overrides) -> dict:
    return {
        "rescued_at": timezone.now() - timedelta(hours=3),
        "state": places.bihar,
        "district": places.gaya,
        "block": places.bodh_gaya,
        "establishment_name": "Test brick kiln",
        "industry": "brick_kiln",
        "led_by": "labour",
        "sections": ["CALPRA 3"],
    } | overrides


def child_data(places, **overrides) -> dict:
    return {
        "name": "Test Child Alpha",
        "sex": "m",
        "age_years": 12,
        "age_assessment": "declared",
        "father_name": "Test Father Alpha",
        "home_state": places.bihar,
        "home_district": places.gaya,
        "home_block": places.bodh_gaya,
        "home_village_text": "Test Village",
        "hours_per_day": 10,
    } | overrides
