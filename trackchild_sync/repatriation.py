"""The interstate repatriation file: what the home state's CWC needs to take up a child restored there without
entering it again: the child and the case, the Committee's orders (the social investigation report and the care plan
among them), the stays in CCIs, and the sections other apps add (documents held, schemes linked, the package:
settings.CASE_SUMMARY_SECTIONS). As JSON in the layout below (docs/trackchild.md) and as a PDF in English or Hindi.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.core.hooks import hook_functions
from rescue.models import Case, Interstate, Transfer, TransferKind
from trackchild_sync.models import CwcOrder, Residence

LAYOUT_VERSION = 1


def applies_to(case: Case) -> bool:
    """A child of another state rescued here (restored to the home state by a handover or a repatriation order)."""
    return (
        case.interstate == Interstate.OUTBOUND
        or CwcOrder.objects.filter(case=case, kind=CwcOrder.Kind.REPATRIATION).exists()
    )


def _date(value) -> str | None:
    return value.isoformat() if value else None


def repatriation_file(*, case: Case, user) -> dict:
    """The file as one JSON-ready dict (layout version 1); the reader has already been checked to see the case."""
    child = case.child
    handover = (
        Transfer.objects.filter(case=case, kind=TransferKind.HANDOVER)
        .select_related("to_state")
        .order_by("-id")
        .first()
    )
    orders = CwcOrder.objects.filter(case=case).select_related("cwc", "cci").order_by("ordered_on", "id")
    stays = Residence.objects.filter(case=case).select_related("institution").order_by("admitted_on", "id")
    sections = [section for hook in hook_functions("CASE_SUMMARY_SECTIONS") for section in hook(case=case, user=user)]
    return {
        "layout": "clts-repatriation",
        "version": LAYOUT_VERSION,
        "prepared_on": _date(timezone.localdate()),
        "from_state_lgd": settings.HOME_STATE,
        "to_state": str(handover.to_state) if handover else (str(child.home_state) if child.home_state_id else ""),
        "case": {
            "case_number": case.case_number,
            "status": case.status,
            "rescued_on": _date(case.rescued_on),
            "rescue_district": str(case.district) if case.district_id else "",
            "category": case.category,
            "age_at_rescue": case.age_at_rescue,
            "produced_at": case.produced_at.isoformat() if case.produced_at else None,
            "cwc": str(case.cwc) if case.cwc_id else "",
            "industry": case.rescue.industry,
            "bonded": case.bonded,
            "trafficked": case.trafficked,
        },
        "child": {
            "name": child.name,
            "sex": child.sex,
            "date_of_birth": _date(child.date_of_birth),
            "father_name": child.father_name,
            "mother_name": child.mother_name,
            "guardian_name": child.guardian_name,
            "home_address": child.home_address,
            "home_village": child.home_village_text,
            "languages": child.languages,
        },
        "orders": [
            {
                "kind": order.kind,
                "kind_label": order.get_kind_display(),
                "ordered_on": _date(order.ordered_on),
                "order_number": order.order_number,
                "cwc": order.cwc.name,
                "cci": order.cci.name if order.cci_id else "",
                "restored_to": order.restored_to,
                "notes": order.notes,
            }
            for order in orders
        ],
        "stays": [
            {
                "cci": stay.institution.name,
                "admitted_on": _date(stay.admitted_on),
                "left_on": _date(stay.left_on),
                "leaving_reason": stay.leaving_reason,
            }
            for stay in stays
        ],
        "sections": sections,
    }


def title() -> str:
    return _("Interstate repatriation file")
