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


def local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def registration_post(places, cast, children: list[dict], **rescue) -> dict:
    data = {
        "rescue-rescued_at": local_input(timezone.now() - timedelta(hours=3)),
        "rescue-state": places.bihar.pk,
        "rescue-district": places.gaya.pk,
        "rescue-block": places.bodh_gaya.pk,
        "rescue-establishment_name": "Test brick kiln",
        "rescue-industry": "brick_kiln",
        "rescue-led_by": "labour",
        "rescue-sections": "CALPRA 3, JJ Act 79",
        "rescue-cwc": cast.cwc_institution.pk,
        "children-TOTAL_FORMS": len(children),
        "children-INITIAL_FORMS": 0,
        "children-MIN_NUM_FORMS": 1,
        "children-MAX_NUM_FORMS": 50,
    }
    data |= {f"rescue-{key}": value for key, value in rescue.items()}
    for n, child in enumerate(children):
        values = {
            "name": f"Test Child {n + 1}",
            "sex": "m",
            "age_years": 12,
            "age_assessment": "declared",
            "father_name": f"Test Father {n + 1}",
            "home_state": places.bihar.pk,
            "home_district": places.gaya.pk,
            "home_block": places.bodh_gaya.pk,
            "home_village_text": "Test Village",
            "education_level": "none",
            "hours_per_day": 10,
        } | child
        data |= {f"children-{n}-{key}": value for key, value in values.items() if value is not None}
    return data
