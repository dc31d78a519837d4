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
from clts.orgs.models import Institution
from rescue.choices import Sex
from rescue.models import Case
from trackchild_sync.models import Residence
from trackchild_sync.services.register import residence_admit


def _text(value, row, context):
    return n.text(value)


def _date(value, row, context):
    return n.parse_date(value)


def _institution(kind: str, message):
    def read(value, row, context):
        raw = n.text(value)
        if not raw:
            return None
        found = context.institutions[kind].get(n.place_key(raw))
        if found is None:
            raise n.Unreadable(message % {"value": raw[:60]})
        return found

    return read


def _case(value, row, context):
    number = n.text(value).upper()
    if not number:
        return None
    case = Case.objects.visible_to(context.actor).filter(case_number=number).first()
    if case is None:
        raise n.Unreadable(_("No case %(number)s in your area.") % {"number": number[:40]})
    return case


class _Context:
    def __init__(self, actor):
        self.actor = actor
        self.institutions: dict[str, dict[str, Institution]] = {Institution.Kind.CCI: {}, Institution.Kind.CWC: {}}
        for institution in Institution.objects.filter(kind__in=list(self.institutions), is_active=True):
            self.institutions[institution.kind][n.place_key(institution.name)] = institution


COLUMNS = (
    Column("institution", _("Child care institution"), ("CCI", "Name of CCI", "Child Care Institution", "Home",
           "Children's Home", "संस्था", "बाल गृह"), _institution(Institution.Kind.CCI, _(
               "No child care institution is called “%(value)s”.")), required=True),
    Column("cwc", _("CWC"), ("CWC", "Child Welfare Committee", "Ordered by", "बाल कल्याण समिति"),
           _institution(Institution.Kind.CWC, _("No Child Welfare Committee is called “%(value)s”.")),
           required=True),
    Column("order_number", _("CWC order number"), ("Order No", "Order Number", "CWC Order No", "आदेश संख्या"),
           _text, max_length=Residence._meta.get_field("order_number").max_length),
    Column("ordered_on", _("Date of the CWC order"), ("Order Date", "Date of Order", "CWC Order Date",
           "आदेश की तिथि"), _date, required=True),
    Column("admitted_on", _("Admitted on"), ("Date of Admission", "Admission Date", "Admitted on",
           "प्रवेश की तिथि"), _date, required=True),
    Column("case", _("Case number"), ("Case Number", "Case No", "Case No.", "CLTS Case Number", "मामला संख्या"),
           _case),
    Column("name", _("Child's name"), ("Child Name", "Name of Child", "Name", "बच्चे का नाम", "नाम"), _text,
           max_length=Residence._meta.get_field("name").max_length),
    Column("sex", _("Sex"), ("Sex", "Gender", "लिंग"), lambda value, row, context: n.parse_sex(value)),
    Column("age_years", _("Age (years)"), ("Age", "Age (years)", "उम्र", "आयु"),
           lambda value, row, context: n.parse_age(value)),
    Column("date_of_birth", _("Date of birth"), ("Date of Birth", "DOB", "जन्म तिथि"), _date),
    Column("guardian_name", _("Guardian's name"), ("Guardian", "Father's Name", "Guardian's Name", "अभिभावक का नाम",
           "पिता का नाम"), _text, max_length=Residence._meta.get_field("guardian_name").max_length),
    Column("identifying_marks", _("Identifying marks"), ("Identification Marks", "Identifying Marks",
           "पहचान चिह्न"), _text),
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
        description = {name: row.get(name) for name in ("name", "age_years", "date_of_birth", "guardian_name",
                                                         "identifying_marks")}  # fmt: skip
        description = {name: value for name, value in description.items() if value not in (None, "")}
        if row.get("sex") in Sex.values:
            description["sex"] = row["sex"]
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
