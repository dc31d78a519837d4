"""Registers of scheme linkages: one line per benefit followed for a rescued child or the child's household.

Each row names a case (its case number), a scheme (its code, or its English or Hindi name) and how far the
benefit went: applied (date, application number, office), sanctioned (date, order, amount), received (date, how it
was verified). A row goes through the schemes app's own services one step after another, exactly as an officer's
clicks would: `linkage_identify` (the household must be recorded and the scheme's rule met), `linkage_documents_
complete` (the documents must be in CLTS), `linkage_apply`, `linkage_sanction`, `linkage_receive`. A benefit already
followed is moved on from where it stands (counted as updated), or left alone when the register says nothing newer
(already in CLTS). Registers of linkages are short, so the check is the real thing: every row is run through the
services in a transaction that is then rolled back, and its errors are the services' own.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from clts.imports import normalise as n
from clts.imports.kinds import Column, ServiceRowsKind
from clts.imports.kinds.common import CASE_ALIASES, case_reader, day, text
from rescue.models import Case
from schemes import services
from schemes.choices import Beneficiary, LinkageStatus, ReceiptVerification
from schemes.models import Linkage, Scheme

_verification = n.choice_reader(ReceiptVerification)
# How far each status has gone, to know which steps a row still has to take.
_REACHED = {
    LinkageStatus.IDENTIFIED: 0,
    LinkageStatus.DOCUMENTS_COMPLETE: 1,
    LinkageStatus.APPLIED: 2,
    LinkageStatus.SANCTIONED: 3,
    LinkageStatus.RECEIVED: 4,
    LinkageStatus.REJECTED: -1,
}


def _scheme(value, row, context):
    raw = n.text(value)
    if not raw:
        return None
    scheme = context.schemes.get(raw.lower()) or context.schemes.get(n.place_key(raw))
    if scheme is None:
        raise n.Unreadable(_("No scheme in the catalogue is called “%(value)s”.") % {"value": raw[:60]})
    return scheme


class _Context:
    def __init__(self, actor):
        self.actor = actor
        self.schemes: dict[str, Scheme] = {}
        for scheme in Scheme.objects.all():
            self.schemes[scheme.code.lower()] = scheme
            for name in (scheme.name_en, scheme.name_hi):
                if name:
                    self.schemes[name.lower()] = scheme
                    self.schemes[n.place_key(name)] = scheme


COLUMNS = (
    Column("case", _("Case number"), CASE_ALIASES, case_reader(write=True), required=True),
    Column("scheme", _("Scheme"), ("Scheme", "Scheme Name", "Name of Scheme", "Scheme Code", "योजना",
           "योजना का नाम"), _scheme, required=True),
    Column("applied_on", _("Applied on"), ("Applied on", "Date of Application", "Application Date",
           "आवेदन की तिथि"), day),
    Column("application_number", _("Application number"), ("Application Number", "Application No",
           "आवेदन संख्या"), text, max_length=Linkage._meta.get_field("application_number").max_length),
    Column("office", _("Office applied to"), ("Office", "Office applied to", "कार्यालय"), text,
           max_length=Linkage._meta.get_field("applied_office").max_length),
    Column("sanctioned_on", _("Sanctioned on"), ("Sanctioned on", "Date of Sanction", "Sanction Date",
           "स्वीकृति की तिथि"), day),
    Column("order", _("Sanction order"), ("Sanction Order", "Order Number", "Sanction Order No",
           "स्वीकृति आदेश संख्या"), text, max_length=Linkage._meta.get_field("sanction_order").max_length),
    Column("amount", _("Amount sanctioned (Rs)"), ("Amount", "Sanctioned Amount", "Amount (Rs)", "राशि",
           "स्वीकृत राशि"), lambda value, row, context: n.parse_amount(value)),
    Column("received_on", _("Received on"), ("Received on", "Date of Receipt", "Benefit received on",
           "प्राप्ति की तिथि"), day),
    Column("verification", _("Receipt verified by"), ("Verified by", "Verification", "सत्यापन"),
           lambda value, row, context: _verification(value)),
)  # fmt: skip


class LinkageRegister(ServiceRowsKind):
    columns = COLUMNS
    fallback_column = "scheme"
    error_columns = {
        "applied_on": "applied_on",
        "sanctioned_on": "sanctioned_on",
        "received_on": "received_on",
        "amount": "amount",
        "verification": "verification",
    }

    def context(self, *, actor):
        return _Context(actor)

    def same_row_key(self, row: dict):
        if row.get("case") is None or row.get("scheme") is None:
            return None
        return (row["case"].pk, row["scheme"].pk)

    def _row(self, row: dict, *, actor) -> str:
        case, scheme = row["case"], row["scheme"]
        if scheme.beneficiary == Beneficiary.MEMBER:
            raise ValidationError(_("A scheme for a household member is linked in the portal, choosing the member."))
        linkage = _existing(case, scheme)
        outcome = "updated" if linkage else "new"
        reached = _REACHED[linkage.status] if linkage else -2
        if reached == -1:
            raise ValidationError(_("This benefit was rejected; a new application is recorded in the portal."))
        wanted = 4 if row.get("received_on") else 3 if row.get("sanctioned_on") else 2 if row.get("applied_on") else 0
        if linkage is not None and wanted <= reached:
            return "unchanged"
        if linkage is None:
            linkage = services.linkage_identify(case=case, scheme=scheme, actor=actor)
            reached = 0
        if wanted >= 2 and reached < 1:
            linkage = services.linkage_documents_complete(linkage=linkage, actor=actor)
        if wanted >= 2 and reached < 2:
            linkage = services.linkage_apply(
                linkage=linkage,
                applied_on=row["applied_on"],
                application_number=row.get("application_number") or "",
                office=row.get("office") or "",
                actor=actor,
            )
        if wanted >= 3 and reached < 3:
            linkage = services.linkage_sanction(
                linkage=linkage,
                sanctioned_on=row["sanctioned_on"],
                order=row.get("order") or "",
                amount=row.get("amount"),
                actor=actor,
            )
        if wanted >= 4:
            services.linkage_receive(
                linkage=linkage, received_on=row["received_on"], verification=row.get("verification") or "", actor=actor
            )
        return outcome


def _existing(case: Case, scheme: Scheme) -> Linkage | None:
    same = Linkage.objects.filter(scheme=scheme, case__child_id=case.child_id)
    if scheme.beneficiary == Beneficiary.CHILD:
        same = Linkage.objects.filter(scheme=scheme, child_id=case.child_id)
    return same.order_by("-identified_at").first()
