"""Registers of rehabilitation disbursements: each row through rehabilitation's component_disburse, as the district
officer's form; the paper proof named in place of a scan; all or nothing; the same file refused."""

import csv
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from clts.imports import services
from clts.imports.choices import Kind, Status
from clts.imports.kinds.disbursement import DisbursementRegister
from clts.imports.models import ImportJob
from clts.imports.normalise import Unreadable
from rehabilitation.choices import ComponentStatus, DisbursementMode
from rehabilitation.models import Component
from rehabilitation.services import component_disburse
from rescue.models import CaseEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

# English and Hindi headers, as a district's register gives them.
HEADERS = ["Case No.", "घटक", "Date of Payment", "Amount Paid", "Mode of Payment", "UTR", "Maturity Date",
           "Proof kept at"]  # fmt: skip
OFFICE = "District Labour Office, Gaya (cash book 2024)"


def _bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode()


def _upload(admin, rows):
    file = SimpleUploadedFile("disbursements.csv", _bytes(rows))
    return services.import_job_upload(actor=admin, kind=Kind.DISBURSEMENT, district=None, file=file)


def _run(admin, rows):
    job = services.import_job_start(job=_upload(admin, rows), actor=admin, commit=False)
    if not job.invalid_count:
        job = services.import_job_start(job=job, actor=admin, commit=True)
    return job


def _sanctioned(name_en, amount, **more):
    return {"name_en": name_en, "status": ComponentStatus.SANCTIONED, "sanction_order_number": "SO/1",
            "sanctioned_on": date(2024, 3, 1), "sanctioned_amount": Decimal(amount)} | more  # fmt: skip


@pytest.fixture
def world(cast, places):
    f.make_home_state()
    template = f.make_component_template(code="immediate-assistance", name_en="Immediate assistance")
    first = f.make_case(district=places.gaya)
    second = f.make_case(district=places.gaya)
    f.make_package(
        first,
        components=[
            _sanctioned("Immediate assistance", "3000", template=template),
            _sanctioned("Education support", "5000", name_hi="शिक्षा सहायता"),
            {"name_en": "Skill training"},  # planned, not sanctioned
        ],
    )
    f.make_package(second, components=[_sanctioned("Fixed deposit", "20000", kind="fd")])
    return first, second


def _good_rows(first, second):
    return [
        [first.case_number, "immediate-assistance", "05-03-2024", "3,000", "Bank transfer to the child's account",
         "UTR0001", "", OFFICE],
        [first.case_number, "शिक्षा सहायता", "2024-04-01", "₹4500", "In kind", "", "", OFFICE],
        [second.case_number, "Fixed Deposit", "10.04.24", "20000", "FD", "FD-77", "10-04-2032", OFFICE],
    ]  # fmt: skip


def test_a_register_with_bad_rows_reports_each_and_writes_nothing(cast, world):
    first, second = world
    good = _good_rows(first, second)
    rows = [
        good[0][:3] + ["3500"] + good[0][4:],  # 2: above the Rs 3,000 sanctioned: the form refuses it
        good[1][:2] + ["31-02-2024"] + good[1][3:],  # 3: a date that does not exist
        good[2][:7] + [""],  # 4: no office holding the paper proof (nor a scan)
        [first.case_number, "Skill training", "01-04-2024", "100", "In kind", "", "", OFFICE],  # 5: not sanctioned
        ["BR-XXX-2020-000001", "Immediate assistance", "01-04-2024", "100", "In kind", "", "", OFFICE],  # 6
        [second.case_number, "Fixed deposit", "10-04-2024", "20000", "Fixed deposit", "FD-77", "", OFFICE],  # 7
        [first.case_number, "Education support", "01-04-2024", "4500", "Cheque", "", "", OFFICE],  # 8: no such mode
        [first.case_number, "Education support", "01-04-2024", "=HYPERLINK(1)", "In kind", "", "", OFFICE],  # 9
        [first.case_number, "Education support", "01-02-2024", "4500", "In kind", "", "", OFFICE],  # 10: pre-sanction
        [first.case_number, "Education support", "01-04-2024", "4500", "In kind", "", "", "x" * 201],  # 11
    ]
    job = _run(cast.admin, rows)
    assert job.status == Status.PREVIEWED and job.invalid_count == 10
    errors = {(error["line"], error["column"]): error["message"] for error in job.errors}
    assert "more than the Rs 3000.00 sanctioned" in errors[(2, "Amount Paid")]
    assert "not a date that exists" in errors[(3, "Date of Payment")]
    assert (4, "Proof kept at") in errors
    assert "Only a sanctioned component" in errors[(5, "घटक")]
    assert "No case BR-XXX-2020-000001" in errors[(6, "Case No.")]
    assert "maturity date" in errors[(7, "Maturity Date")]
    assert (8, "Mode of Payment") in errors
    assert "formula" in errors[(9, "Amount Paid")]
    assert "before the sanction date" in errors[(10, "Date of Payment")]
    assert "At most 200 characters" in errors[(11, "Proof kept at")]
    assert not Component.objects.exclude(disbursed_on=None).exists()  # the check wrote nothing
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.MONEY).exists()
    # A commit is refused while any row is invalid.
    with pytest.raises(ValidationError):
        services.import_job_start(job=job, actor=cast.admin, commit=True)


def test_the_corrected_register_imports_through_the_form_rules_and_not_twice(cast, world):
    first, second = world
    job = _run(cast.admin, _good_rows(first, second))
    assert job.status == Status.COMMITTED and job.new_count == 3, job.errors
    assistance = Component.objects.get(package__case=first, template__code="immediate-assistance")
    assert (assistance.status, assistance.disbursed_amount, assistance.disbursed_on) == (
        ComponentStatus.DISBURSED, Decimal("3000"), date(2024, 3, 5))  # fmt: skip
    assert assistance.disbursement_mode == DisbursementMode.BANK_CHILD and assistance.disbursed_by == cast.admin
    # The paper proof is named in place of the scan, on the component, the timeline and the audit trail.
    assert assistance.disbursement_proof_held_at == OFFICE and not assistance.disbursement_proof
    event = CaseEvent.objects.filter(case=first, kind=CaseEvent.Kind.MONEY).order_by("id").first()
    assert OFFICE in str(event.reason_text)
    history = assistance.history.order_by("-pgh_id").first()
    assert history.disbursement_proof_held_at == OFFICE
    assert history.pgh_context.metadata["url"] == f"import:{job.pk}"
    assert history.pgh_context.metadata["user"] == cast.admin.pk
    deposit = Component.objects.get(package__case=second)
    assert deposit.fd_maturity_on == date(2032, 4, 10) and deposit.package.disbursed_total == Decimal("20000")

    # The same file again is refused, pointing at the earlier import.
    with pytest.raises(ValidationError, match=f"import {job.pk}"):
        _upload(cast.admin, _good_rows(first, second))
    # A later register repeating a disbursement leaves it alone (already in CLTS).
    again = _run(cast.admin, _good_rows(first, second)[:1])
    assert again.status == Status.COMMITTED and (again.duplicate_count, again.new_count) == (1, 0)
    assert ImportJob.objects.count() == 2


def test_a_case_outside_the_importers_area_is_not_found(cast, world):
    """The kinds read cases through access (writable_by): a Patna officer's rows find no Gaya case."""
    first, _second = world
    case_column = DisbursementRegister.columns[0]
    assert case_column.read(first.case_number, {}, SimpleNamespace(actor=cast.district)) == first
    with pytest.raises(Unreadable, match="in your area"):
        case_column.read(first.case_number, {}, SimpleNamespace(actor=cast.outsider))


def test_a_disbursement_has_a_scan_or_the_office_holding_the_paper_never_both_nor_neither(cast, world):
    first, _second = world
    component = Component.objects.get(package__case=first, name_en="Education support")
    values = {"component": component, "disbursed_on": date(2024, 4, 1), "amount": Decimal("10"),
              "mode": DisbursementMode.IN_KIND, "actor": cast.admin}  # fmt: skip
    scan = SimpleUploadedFile("proof.pdf", b"%PDF-1.4 synthetic proof")
    with pytest.raises(ValidationError, match="not both"):
        component_disburse(proof=scan, proof_held_at=OFFICE, **values)
    with pytest.raises(ValidationError, match="Attach the proof"):
        component_disburse(proof=None, proof_held_at="   ", **values)
    assert Component.objects.get(pk=component.pk).status == ComponentStatus.SANCTIONED
