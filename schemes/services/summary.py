"""The eligibility summary read by dashboards at state scale."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from schemes import eligibility
from schemes.models import (
    EligibilitySummary,
    Scheme,
)


@transaction.atomic
def eligibility_summary_refresh(*, today: date | None = None) -> int:
    """Recount eligible and eligible-but-unlinked per scheme and district, set-based: one query per scheme."""
    today = today or timezone.localdate()
    now = timezone.now()
    rows = []
    for scheme in Scheme.objects.filter(is_active=True):
        district = eligibility.household_district_lookup(scheme.beneficiary)
        counts = (
            eligibility.eligible(scheme, today=today)
            .alias(is_linked=eligibility.linked(scheme))
            .values(district)
            .annotate(eligible=Count("pk"), unlinked=Count("pk", filter=Q(is_linked=False)))
            .order_by()
        )
        rows.extend(
            EligibilitySummary(
                scheme=scheme,
                district_id=row[district],
                eligible=row["eligible"],
                unlinked=row["unlinked"],
                refreshed_at=now,
            )
            for row in counts
        )
    EligibilitySummary.objects.all().delete()
    EligibilitySummary.objects.bulk_create(rows)
    return len(rows)
