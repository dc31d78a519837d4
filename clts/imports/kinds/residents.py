"""Registers of children in Child Care Institutions: one line per child admitted to a home under a CWC order.

Each row goes through trackchild_sync's own `residence_admit`, as the home's staff would admit the child: the CWC
order (its committee, date and number) is required, a child is in one home at a time, a home takes no more children
than its capacity and only the sexes and ages it is registered for. A row may name the child's CLTS case (its
particulars are then the case's); otherwise the register's description is kept. A child already in that home's
register (the same case, or the same name, sex and age) is left alone and counted as already in CLTS.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clts.imports import normalise as n
from clts.imports.kinds import Column, ServiceRowsKind
from clts.imports.kinds import common as c
from clts.orgs.models import Institution
from trackchild_sync.models import Residence
from trackchild_sync.services.register import residence_admit


class _Context:
    def __init__(self, actor):
        self.actor = actor
        self.institutions = c.institutions_by_name(Institution.Kind.CCI, Institution.Kind.CWC)


COLUMNS = (
    Column("institution", _("Child care institution"), ("CCI", "Name of CCI", "Child Care Institution", "Home",
           "Children's Home", "संस्था", "बाल गृह"), c.institution_reader(Institution.Kind.CCI, _(
               "No child care institution is called “%(value)s”.")), required=True),
    Column("cwc", _("CWC"), ("CWC", "Child Welfare Committee", "Ordered by", "बाल कल्याण समिति"),
           c.institution_reader(Institution.Kind.CWC, _("No Child Welfare Committee is called “%(value)s”.")),
           required=True),
    Column("order_number", _("CWC order number"), ("Order No", "Order Number", "CWC Order No", "आदेश संख्या"),
           c.text, max_length=c.max_of(Residence, "order_number")),
    Column("ordered_on", _("Date of the CWC order"), ("Order Date", "Date of Order", "CWC Order Date",
           "आदेश की तिथि"), c.day, required=True),
    Column("admitted_on", _("Admitted on"), ("Date of Admission", "Admission Date", "Admitted on",
           "प्रवेश की तिथि"), c.day, required=True),
    Column("case", _("Case number"), c.CASE_ALIASES, c.case_reader(write=False)),
    *c.description_columns(
        Residence, only=("name", "sex", "age_years", "date_of_birth", "guardian_name", "identifying_marks")
    ),
)  # fmt: skip


class ResidentRegister(ServiceRowsKind):
    columns = COLUMNS
    fallback_column = "institution"
    error_columns = {
        "cwc": "cwc",
        "ordered_on": "ordered_on",
        "admitted_on": "admitted_on",
        "sex": "sex",
        "age_years": "age_years",
        "date_of_birth": "date_of_birth",
    }

    def context(self, *, actor):
        return _Context(actor)

    def same_row_key(self, row: dict):
        child = row.get("case").pk if row.get("case") else (n.text(row.get("name")).lower(), row.get("sex"))
        return (row.get("institution"), child, row.get("admitted_on"))

    def _row(self, row: dict, *, actor) -> str:
        home = row["institution"]
        current = Residence.objects.filter(institution=home, left_on__isnull=True)
        if row.get("case") is not None:
            current = current.filter(case=row["case"])
        else:
            current = current.filter(
                case__isnull=True,
                name__iexact=row.get("name") or "",
                sex=row.get("sex"),
                age_years=row.get("age_years"),
            )
        if current.exists():
            return "unchanged"
        description = c.description_of(
            row, ("name", "sex", "age_years", "date_of_birth", "guardian_name", "identifying_marks")
        )
        residence_admit(
            actor=actor,
            institution=home,
            cwc=row.get("cwc"),
            ordered_on=row.get("ordered_on"),
            admitted_on=row.get("admitted_on"),
            order_number=row.get("order_number") or "",
            case=row.get("case"),
            **description,
        )
        return "new"
