"""Forms of the schemes app; identifiers are typed in full once and kept only masked (see services.mask)."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clts.core.forms import BootstrapFormMixin, DateInput
from clts.core.uploads import DocumentUploadField
from clts.geo.models import Block, Village
from schemes.models import (
    DocumentKind,
    Household,
    HouseholdChild,
    HouseholdMember,
    ReceiptVerification,
    RejectionReason,
    Scheme,
)
from schemes.services import CHILD_FIELDS, HOUSEHOLD_FIELDS, MEMBER_FIELDS


class NextMixin(forms.Form):
    """Where to go back to (the case page, usually); checked against our host in the view."""

    next = forms.CharField(required=False, widget=forms.HiddenInput)


class StepForm(NextMixin):
    """One step of a linkage (templates/schemes/includes/step_forms.html): its name in the URL
    `schemes:linkage-<step>`, and the words and colour of its button. Its fields are the service's arguments."""

    step = ""
    button = ""
    button_class = "btn-primary"


class HouseholdForm(BootstrapFormMixin, forms.ModelForm):
    ration_card_number = forms.CharField(
        label=_("Ration card number"),
        required=False,
        max_length=30,
        help_text=_("Kept as the last four digits only."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    bank_account_number = forms.CharField(
        label=_("Guardian's bank account number"),
        required=False,
        max_length=24,
        help_text=_("Kept as the last four digits only."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Household
        fields = HOUSEHOLD_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        district_id = self._chosen("district")
        block_id = self._chosen("block")
        self.fields["block"].queryset = (
            Block.objects.filter(district_id=district_id) if district_id else Block.objects.none()
        )
        # A district has thousands of villages: only the chosen block's are offered (htmx refreshes the list).
        self.fields["village"].queryset = (
            Village.objects.filter(block_id=block_id) if block_id else Village.objects.none()
        )
        loaded = (
            Village.objects.filter(block_id=block_id) if block_id else Village.objects.filter(district_id=district_id)
        )
        if not (block_id or district_id) or not loaded.exists():
            # No LGD villages loaded for this block (or, before a block is chosen, for the district): the village is
            # typed, not chosen from an empty list.
            del self.fields["village"]
            self.fields["village_text"].label = _("Village")
        else:
            self.fields["village_text"].label = _("Village, if it is not in the list")
        self.fields["district"].widget.attrs |= {
            "hx-get": reverse("rescue:block-options"),
            "hx-target": "#id_block",
            "hx-trigger": "change",
        }
        if "village" in self.fields:
            self.fields["block"].widget.attrs |= {
                "hx-get": reverse("schemes:village-options"),
                "hx-target": "#id_village",
                "hx-trigger": "change",
            }

    def _chosen(self, name: str) -> int | None:
        value = self.data.get(self.add_prefix(name)) if self.is_bound else None
        value = value or self.initial.get(name) or getattr(self.instance, f"{name}_id", None)
        return int(value) if value and str(value).isdigit() else None

    def clean(self):
        data = super().clean()
        block, village, district = data.get("block"), data.get("village"), data.get("district")
        if block and district and block.district_id != district.pk:
            self.add_error("block", _("The block is not in the district."))
        if village and district and village.district_id != district.pk:
            self.add_error("village", _("The village is not in the district."))
        return data

    def household_fields(self) -> dict:
        # Without LGD villages for the block the village list is not offered: no village is chosen then.
        return {name: self.cleaned_data.get(name) for name in HOUSEHOLD_FIELDS}


class HouseholdChildForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = HouseholdChild
        fields = CHILD_FIELDS

    def child_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CHILD_FIELDS}


class LinkChildForm(BootstrapFormMixin, forms.Form):
    case_number = forms.CharField(
        label=_("Case number of the brother or sister"),
        max_length=32,
        help_text=_("The child of that case joins this household."),
    )


class MemberForm(BootstrapFormMixin, forms.ModelForm):
    aadhaar_number = forms.CharField(
        label=_("Aadhaar number"),
        required=False,
        max_length=14,
        help_text=_("Kept as the last four digits and a keyed hash, never in full."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = HouseholdMember
        fields = MEMBER_FIELDS
        widgets = {"age_as_of": DateInput()}

    def member_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in MEMBER_FIELDS}


class DocumentForm(BootstrapFormMixin, forms.Form):
    holder = forms.ChoiceField(label=_("Whose document"))
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)
    number = forms.CharField(
        label=_("Number"),
        required=False,
        max_length=60,
        help_text=_("Aadhaar, bank account and ration card numbers are kept as the last four digits only."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    issued_on = forms.DateField(label=_("Date of issue"), required=False, widget=DateInput())
    # The upload policy (clts.core.uploads) decides the type by content and re-encodes images.
    scan = DocumentUploadField(label=_("Scan (PDF or image, up to 5 MB)"), required=False)

    def __init__(self, *args, household: Household, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (f"child:{link.child_id}", _("%(name)s (rescued child)") % {"name": link.child.name})
            for link in household.children.select_related("child").order_by("id")
        ]
        choices += [
            (f"member:{member.pk}", f"{member.name} ({member.get_relation_display()})")
            for member in household.members.order_by("id")
        ]
        self.fields["holder"].choices = choices
        self.household = household

    def holder_kwargs(self) -> dict:
        kind, _sep, pk = self.cleaned_data["holder"].partition(":")
        if kind == "child":
            return {"child_id": int(pk)}
        return {"member": self.household.members.get(pk=int(pk))}


class IdentifyForm(BootstrapFormMixin, NextMixin):
    scheme = forms.ModelChoiceField(queryset=Scheme.objects.filter(is_active=True), widget=forms.HiddenInput)
    member = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # Sent by the "already receives it" button: the benefit is recorded as received, not applied for.
    already = forms.BooleanField(required=False)


class DocumentsCompleteForm(BootstrapFormMixin, StepForm):
    step, button = "documents", _("Mark documents complete")
    now_held = forms.MultipleChoiceField(
        label=_("Documents now in hand"),
        required=False,
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, missing: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if missing is not None:
            self.fields["now_held"].choices = [(kind, DocumentKind(kind).label) for kind in missing]


class ApplyForm(BootstrapFormMixin, StepForm):
    step, button = "apply", _("Record the application")
    applied_on = forms.DateField(label=_("Applied on"), widget=DateInput(), initial=timezone.localdate)
    application_number = forms.CharField(label=_("Application or receipt number"), max_length=60)
    office = forms.CharField(label=_("Office applied to"), max_length=200, required=False)


class SanctionForm(BootstrapFormMixin, StepForm):
    step, button, button_class = "sanction", _("Record the sanction"), "btn-success"
    sanctioned_on = forms.DateField(label=_("Sanctioned on"), widget=DateInput(), initial=timezone.localdate)
    order = forms.CharField(label=_("Sanction order number"), max_length=100)
    amount = forms.DecimalField(
        label=_("Amount sanctioned (Rs)"), required=False, max_digits=10, decimal_places=2, min_value=0
    )


class ReceiveForm(BootstrapFormMixin, StepForm):
    step, button, button_class = "receive", _("Record the benefit received"), "btn-success"
    received_on = forms.DateField(label=_("Benefit received on"), widget=DateInput(), initial=timezone.localdate)
    verification = forms.ChoiceField(label=_("Verified by"), choices=ReceiptVerification.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(BootstrapFormMixin, StepForm):
    step, button, button_class = "reject", _("Record the rejection"), "btn-outline-danger"
    rejected_on = forms.DateField(label=_("Rejected on"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices)
    text = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReapplyForm(BootstrapFormMixin, StepForm):
    step, button, button_class = "reapply", _("Apply again"), "btn-outline-primary"
    note = forms.CharField(label=_("What changes this time"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QueueFilterForm(BootstrapFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Show"), required=False)
    scheme = forms.ModelChoiceField(label=_("Scheme"), required=False, queryset=Scheme.objects.none())

    def __init__(self, *args, schemes, **kwargs):
        from schemes.models import LinkageStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("open", pgettext_lazy("linkage still pending", "Open")),
            ("overdue", _("Overdue")),
            *LinkageStatus.choices,
        ]
        self.fields["scheme"].queryset = schemes
