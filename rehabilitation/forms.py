"""Forms of rehabilitation: each one parses what a person typed; the services decide what is allowed."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin, DateInput
from clts.core.uploads import DocumentUploadField
from rehabilitation.models import (
    MONEY,
    Attendance,
    ComponentKind,
    Decision,
    DisbursementMode,
    EnrolmentKind,
    Found,
    Health,
    SchemeAccess,
)

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
PROOF_HELP = _("A scan or photo: PDF, JPG or PNG, up to 5 MB. Its file name is not kept.")


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def _money(label, **kwargs):
    return forms.DecimalField(
        label=label,
        max_digits=MONEY["max_digits"],
        decimal_places=MONEY["decimal_places"],
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def _proof(label):
    # The upload policy (clts.core.uploads) decides the type by content and re-encodes images.
    return DocumentUploadField(label=label, help_text=PROOF_HELP)


def _yes_no(label, **kwargs):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
        **kwargs,
    )


# BootstrapFormMixin styles the fields that exist when its __init__ ends: a form whose fields are set up per
# request does that in a base class placed after the mixin.
class _PackageFilterFields(forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=None, required=False)
    block = forms.ModelChoiceField(label=_("Block"), queryset=None, required=False)
    overdue = forms.BooleanField(label=_("Only packages with overdue components"), required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=40)

    def __init__(self, *args, districts, blocks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts
        self.fields["block"].queryset = blocks
        if not districts.exists():
            del self.fields["district"]


class PackageFilterForm(BootstrapFormMixin, _PackageFilterFields):
    pass


class ComponentAddForm(BootstrapFormMixin, forms.Form):
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_hi = forms.CharField(label=_("Name (Hindi)"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ComponentKind.choices)
    department = forms.CharField(label=_("Department that delivers it"), max_length=200, required=False)
    planned_amount = _money(_("Planned amount (Rs)"), required=False, help_text=_("Empty for help in kind."))
    due_on = _date(_("Due on"), required=False)
    reason = forms.CharField(label=_("Why it is added"), widget=forms.Textarea(attrs={"rows": 2}))


class ComponentStepForm(BootstrapFormMixin, forms.Form):
    """One step of a component's workflow (rehabilitation.views._component_step): the page's title, what is said
    once it is done, and the component's amount the form starts from, if any. Its fields are the service's
    arguments."""

    title = ""
    done = ""
    starts_from = ""


class ComponentSanctionForm(ComponentStepForm):
    title, done = _("Record the sanction"), _("The sanction was recorded.")
    starts_from = "planned_amount"
    order_number = forms.CharField(label=_("Sanction order number"), max_length=80)
    sanctioned_on = _date(_("Sanctioned on"))
    amount = _money(_("Amount sanctioned (Rs)"), required=False, help_text=_("Empty for help in kind."))
    proof = _proof(_("Sanction order (scan)"))


class ComponentDisburseForm(ComponentStepForm):
    title, done = _("Record the disbursement"), _("The disbursement was recorded.")
    starts_from = "sanctioned_amount"
    disbursed_on = _date(_("Disbursed on"))
    amount = _money(_("Amount disbursed (Rs)"), required=False, help_text=_("Empty for help in kind."))
    mode = forms.ChoiceField(label=_("Mode"), choices=DisbursementMode.choices)
    reference = forms.CharField(label=_("Transaction or deposit reference"), max_length=80, required=False)
    fd_maturity_on = _date(_("Fixed deposit matures on"), required=False)
    proof = _proof(_("Proof of disbursement (scan)"))


class ComponentVerifyForm(ComponentStepForm):
    title, done = _("Verify that it reached the child"), _("The component is verified.")
    verified_on = _date(_("Verified on"), initial=timezone.localdate)
    note = forms.CharField(label=_("How it was verified"), widget=forms.Textarea(attrs={"rows": 2}))


class ComponentWaiveForm(ComponentStepForm):
    title, done = _("Waive the component"), _("The component was waived.")
    reason = forms.CharField(label=_("Why it is waived"), widget=forms.Textarea(attrs={"rows": 3}))


class EnrolmentForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EnrolmentKind.choices)
    institution_name = forms.CharField(label=_("School, centre or workplace"), max_length=200)
    udise_code = forms.RegexField(
        label=_("UDISE code"),
        regex=r"^\d{11}$",
        required=False,
        error_messages={"invalid": _("A UDISE code has 11 digits.")},
        help_text=_("The school's 11-digit code in UDISE+ (needed for a school)."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    class_name = forms.CharField(label=_("Class or course"), max_length=60, required=False)
    enrolled_on = _date(_("Enrolled on"))
    residential = forms.BooleanField(label=_("Residential"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VisitRecordForm(BootstrapFormMixin, forms.Form):
    """The visit's questions, each a tap on a phone; the services compute the risk."""

    visited_on = _date(_("Date of the visit"), initial=timezone.localdate)
    found = forms.ChoiceField(label=_("Was the child found?"), choices=Found.choices, widget=forms.RadioSelect)
    living_with_family = _yes_no(_("Is the child living with the family?"), required=False)
    in_school = _yes_no(_("Is the child in school, a bridge course or training?"), required=False)
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=Attendance.choices, widget=forms.RadioSelect, required=False
    )
    working_again = _yes_no(_("Is the child working again?"), required=False)
    work_place = forms.CharField(
        label=_("Where is the child working?"),
        max_length=200,
        required=False,
        help_text=_("The kind of work and the place, such as a brick kiln in another district."),
    )
    family_migrated = _yes_no(_("Has the family migrated, or does it plan to?"))
    health = forms.ChoiceField(
        label=_("Child's health"), choices=Health.choices, widget=forms.RadioSelect, required=False
    )
    scheme_access = forms.ChoiceField(
        label=_("Is the family receiving the schemes it was linked to?"),
        choices=SchemeAccess.choices,
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("found") and data["found"] != Found.NOT_FOUND:
            for name in ("living_with_family", "in_school", "working_again"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Answer this question."))
            if not data.get("health") and "health" not in self.errors:
                self.add_error("health", _("Answer this question."))
            if data.get("in_school") and not data.get("attendance"):
                self.add_error("attendance", _("Say how the child attends."))
        if data.get("working_again") and not (data.get("work_place") or "").strip():
            self.add_error("work_place", _("Say where the child is working."))
        return data


class VisitDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class _VisitAssignFields(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Field worker"), queryset=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = workers
        self.fields["assignee"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.block})"
        )


class VisitAssignForm(BootstrapFormMixin, _VisitAssignFields):
    pass


class CaseCloseForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("Note for the timeline"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
