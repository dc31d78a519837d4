"""Registers of rehabilitation disbursements: one line per payment (or help in kind) against a sanctioned component.

Each row names a case (its case number) and one of its package's components (the template's code, or the
component's English or Hindi name), and says when, how much, how (the mode) and with what reference it was paid.
It goes through rehabilitation's own `component_disburse`, as the district officer's form would: only a sanctioned
component is disbursed, never above the amount sanctioned, not before the sanction nor in the future, a fixed
deposit with its maturity date, the case within the importer's area.

The proof. The form asks for a scan; a legacy register's proof is a paper voucher in an office. Such a row must name
that office in the "proof held on paper at" column: the service records it on the component in place of the scan
(never both), writes it on the case's timeline, and the audit trail keeps it with the importer and the import. A
row without it is refused like a form without a scan. A component already disbursed on that day with that amount
is left alone (already in CLTS).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clts.imports import normalise as n
from clts.imports.kinds import Column, ServiceRowsKind
from clts.imports.kinds import common as c
from rehabilitation.choices import ComponentStatus, DisbursementMode
from rehabilitation.models import Component
from rehabilitation.services import component_disburse

_mode = n.choice_reader(
    DisbursementMode,
    {"FD": DisbursementMode.FIXED_DEPOSIT, "एफडी": DisbursementMode.FIXED_DEPOSIT, "सावधि जमा":
     DisbursementMode.FIXED_DEPOSIT, "वस्तु के रूप में": DisbursementMode.IN_KIND},
)  # fmt: skip


class _Context:
    def __init__(self, actor):
        self.actor = actor


def _component(value, row, context):
    """The case's component by its template's code or its name (English or Hindi, spellings folded)."""
    raw = n.text(value)
    case = row.get("case")
    if not raw or case is None:
        return None
    wanted = n.place_key(raw)
    found = [
        component
        for component in Component.objects.writable_by(context.actor)
        .filter(package__case=case)
        .select_related("template")
        if raw.lower() == (component.template.code if component.template else "")
        or wanted in {n.place_key(component.name_en), n.place_key(component.name_hi or component.name_en)}
    ]
    if not found:
        raise n.Unreadable(
            _("Case %(case)s has no component called “%(value)s”.") % {"case": case.case_number, "value": raw[:60]}
        )
    if len(found) > 1:
        raise n.Unreadable(_("Case %(case)s has two components of this name.") % {"case": case.case_number})
    return found[0]


COLUMNS = (
    Column("case", _("Case number"), c.CASE_ALIASES, c.case_reader(write=True), required=True),
    Column("component", _("Component"), ("Component", "Component Name", "Assistance", "Head", "Item", "Benefit",
           "घटक", "सहायता", "मद"), _component, required=True),
    Column("disbursed_on", _("Disbursed on"), ("Disbursed on", "Date of Disbursement", "Disbursement Date",
           "Date of Payment", "Payment Date", "Paid on", "भुगतान की तिथि", "वितरण की तिथि"), c.day, required=True),
    Column("amount", _("Amount disbursed (Rs)"), ("Amount", "Amount Disbursed", "Disbursed Amount", "Amount Paid",
           "Amount (Rs)", "राशि", "भुगतान राशि", "वितरित राशि"), c.plain(n.parse_amount),
           help=_("Empty for help in kind.")),
    Column("mode", _("Mode"), ("Mode", "Mode of Payment", "Payment Mode", "Mode of Disbursement", "माध्यम",
           "भुगतान का माध्यम"), c.plain(_mode), required=True),
    Column("reference", _("Transaction or deposit reference"), ("Reference", "Reference No", "Transaction No",
           "Transaction ID", "UTR", "Cheque No", "FD No", "संदर्भ संख्या", "लेनदेन संख्या"), c.text,
           max_length=c.max_of(Component, "disbursement_reference")),
    Column("fd_maturity_on", _("Fixed deposit matures on"), ("Maturity Date", "FD Maturity Date", "Matures on",
           "परिपक्वता तिथि"), c.day),
    Column("proof_held_at", _("Proof held on paper at"), ("Proof held at", "Proof kept at", "Paper proof at",
           "Office holding proof", "Voucher kept at", "प्रमाण कहाँ रखा है", "प्रमाण रखने का कार्यालय"), c.text,
           required=True, max_length=c.max_of(Component, "disbursement_proof_held_at"),
           help=_("The office that keeps the paper proof (a register has no scan); it is recorded in its place.")),
)  # fmt: skip


class DisbursementRegister(ServiceRowsKind):
    columns = COLUMNS
    fallback_column = "component"
    error_columns = {
        "disbursed_on": "disbursed_on",
        "amount": "amount",
        "mode": "mode",
        "fd_maturity_on": "fd_maturity_on",
        "proof": "proof_held_at",
    }

    def context(self, *, actor):
        return _Context(actor)

    def same_row_key(self, row: dict):
        # A component is disbursed once: two lines for one component are one payment typed twice.
        return row["component"].pk if row.get("component") else None

    def _row(self, row: dict, *, actor) -> str:
        component = Component.objects.get(pk=row["component"].pk)
        done = (ComponentStatus.DISBURSED, ComponentStatus.VERIFIED)
        if (
            component.status in done
            and component.disbursed_on == row.get("disbursed_on")
            and component.disbursed_amount == row.get("amount")
        ):
            return "unchanged"
        component_disburse(
            component=component,
            disbursed_on=row.get("disbursed_on"),
            amount=row.get("amount"),
            mode=row.get("mode") or "",
            reference=row.get("reference") or "",
            fd_maturity_on=row.get("fd_maturity_on"),
            proof=None,
            proof_held_at=row.get("proof_held_at") or "",
            actor=actor,
        )
        return "new"
