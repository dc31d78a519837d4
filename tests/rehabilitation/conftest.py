"""Shared pieces of the rehabilitation tests: Bihar's templates, a restored case, proofs kept in a temporary folder."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rehabilitation import services
from rehabilitation.models import ComponentTemplate, DisbursementMode
from rescue.models import CaseEvent, Category, Status
from tests import factories as f


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded proofs go to a temporary folder, never to the project's media/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def bihar_templates(db):
    services.templates_seed()
    return {t.code: t for t in ComponentTemplate.objects.all()}


def proof(name="Test Child 1 bank passbook.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 test proof\n", content_type="application/pdf")


def _money(amount):
    return None if amount is None else Decimal(amount)


def sanction(component, actor, amount="1000.00", **details):
    """Record the component's sanction today, with a proof (order LRD/2026/T1 unless `details` say otherwise)."""
    values = {"order_number": "LRD/2026/T1", "sanctioned_on": timezone.localdate(), "proof": proof()} | details
    return services.component_sanction(component=component, amount=_money(amount), actor=actor, **values)


def disburse(component, actor, amount="1000.00", **details):
    """Record the component's disbursement today to the guardian's bank account, with a proof (unless told)."""
    values = {"disbursed_on": timezone.localdate(), "mode": DisbursementMode.BANK_GUARDIAN, "proof": proof()} | details
    return services.component_disburse(component=component, amount=_money(amount), actor=actor, **values)


def restored_case(places, cast, *, days_ago=30, **overrides):
    """A case of Bodh Gaya restored to the family `days_ago` days ago (status "restored", with its event)."""
    restored_at = timezone.now() - timedelta(days=days_ago)
    rescue = f.make_rescue(
        district=places.gaya, block=places.bodh_gaya, rescued_at=restored_at - timedelta(days=20), created_by=cast.block
    )
    child_fields = overrides.pop("child_fields", {})
    child = f.make_child(home_district=places.gaya, home_block=places.bodh_gaya, **child_fields)
    values = {
        "district": places.gaya,
        "block": places.bodh_gaya,
        "home_block": places.bodh_gaya,
        "rescue": rescue,
        "child": child,
        "status": Status.RESTORED,
        "status_changed_at": restored_at,
        "restored_at": restored_at,
        "category": Category.CHILD if (child.age_years or 12) < 14 else Category.ADOLESCENT,
    } | overrides
    case = f.make_case(**values)
    f.make_event(
        case,
        kind=CaseEvent.Kind.TRANSITION,
        at=restored_at,
        actor=cast.cwc,
        from_status=Status.IN_SHELTER,
        to_status=Status.RESTORED,
    )
    return case


@pytest.fixture
def case(places, cast):
    return restored_case(places, cast)
