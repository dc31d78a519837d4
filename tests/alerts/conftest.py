"""Shared pieces of the alerts tests: the shipped rules, a case whose CWC deadline was missed, rule times set."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clts.alerts import services
from clts.alerts.models import DeadlineRule
from rescue.models import Status
from tests import factories as f


@pytest.fixture
def rules(db):
    services.rules_seed()
    return {rule.code: rule for rule in DeadlineRule.objects.prefetch_related("steps")}


def set_time(rule: DeadlineRule, value: int, unit: str = "days") -> DeadlineRule:
    """What the administrator does for a rule shipped without a time: set it, and the rule becomes active."""
    rule.due_after, rule.unit, rule.is_active = value, unit, True
    rule.full_clean()
    rule.save()
    return rule


def missed_production(places, cast, *, hours_ago=30, **overrides):
    """A Gaya case rescued `hours_ago` hours ago, registered, never produced before the CWC."""
    rescued_at = timezone.now() - timedelta(hours=hours_ago)
    rescue = f.make_rescue(district=places.gaya, block=places.bodh_gaya, rescued_at=rescued_at, created_by=cast.block)
    values = {
        "rescue": rescue,
        "district": places.gaya,
        "block": places.bodh_gaya,
        "home_block": places.bodh_gaya,
        "status": Status.RESCUED,
        "status_changed_at": rescued_at,
        "cwc": cast.cwc_institution,
    } | overrides
    return f.make_case(**values)
