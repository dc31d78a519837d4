"""Forms of the rescue app: parse and type what the officer typed; the rules live in rescue.services."""

from __future__ import annotations

import json
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import TOTAL_FORM_COUNT
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from clts.core.forms import BootstrapFormMixin, DateInput, DateTimeLocalInput
from clts.core.uploads import PhotoUploadField
from clts.geo.models import Block, District, State
from clts.orgs.models import Institution
from rescue.candidates import is_token
from rescue.models import BondedIndicator, Case, Child, Interstate, RescueOperation, Status, TransferStage
from rescue.services.corrections import CHILD_CORRECTABLE, RESCUE_CORRECTABLE
from rescue.services.registration import CHILD_FIELDS, RESCUE_FIELDS

# BootstrapFormMixin styles the fields that exist when its __init__ ends: each form's own field set-up (fields
# added or removed per request) is done in a base class under the mixin, so that it comes first.


def _blocks_of(form: forms.BaseForm, district_field: str, block_field: str) -> None:
    """Offer only the blocks of the district chosen (or typed), so a phone never loads all of a state's blocks."""
    name = form.add_prefix(district_field)
    district_id = form.data.get(name) if form.is_bound else form.initial.get(district_field)
    if isinstance(district_id, District):
        district_id = district_id.pk
    field = form.fields[block_field]
    chosen = str(district_id or "").isdigit()
    field.queryset = Block.objects.filter(district_id=district_id) if chosen else Block.objects.none()
    # Choosing a district fetches its blocks (htmx); without scripts the form is sent and comes back with them.
    form.fields[district_field].widget.attrs |= {
        "hx-get": reverse("rescue:block-options"),
        "hx-trigger": "change",
        "hx-target": "#" + form[block_field].auto_id,
        "hx-vals": json.dumps({"from": form.add_prefix(district_field)}),
        "hx-sync": "this:replace",
    }


class _RescueForm(forms.ModelForm):
    sections = forms.CharField(
        label=_("Sections invoked"),
        required=False,
        help_text=_("Separate with commas, for example: CALPRA 3, JJ Act 79, BNS 143, BLSA 16."),
    )
    cwc = forms.ModelChoiceField(
        queryset=Institution.objects.none(),
        required=False,
        label=_("CWC the children are produced before"),
        help_text=_("The CWC member then records the production and the order."),
    )
    produced_at = forms.DateTimeField(
        label=_("Produced before the CWC at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Only if the children have already been produced."),
    )
    late_reason = forms.CharField(
        label=_("Reason for producing after 24 hours"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = RescueOperation
        # What the registration service takes; the sections are typed as a comma-separated list (declared above).
        fields = [name for name in RESCUE_FIELDS if name != "sections"]
        widgets = {"rescued_at": DateTimeLocalInput(), "employer_address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, home: State, officer=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("state", home.pk)
        # The officer's own district and block: where most of their rescues take place.
        if officer is not None and getattr(officer, "district_id", None):
            initial.setdefault("district", officer.district_id)
            if getattr(officer, "block_id", None):
                initial.setdefault("block", officer.block_id)
        super().__init__(*args, **kwargs)
        self.home = home
        self.fields["state"].widget.attrs["data-home-state"] = home.pk
        self.fields["district"].queryset = District.objects.filter(state=home)
        _blocks_of(self, "district", "block")
        self.fields["cwc"].queryset = Institution.objects.filter(
            kind=Institution.Kind.CWC, state=home, is_active=True
        ).select_related("district")

    def clean_sections(self) -> list[str]:
        items = [item.strip() for item in self.cleaned_data["sections"].split(",") if item.strip()]
        too_long = [item for item in items if len(item) > 24]
        if too_long:
            raise ValidationError(_("Write each section in 24 characters or fewer: %(item)s") % {"item": too_long[0]})
        return items

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class RescueForm(BootstrapFormMixin, _RescueForm):
    pass


class _ChildForm(forms.ModelForm):
    # Shown while typed, so the officer can check it against the card; spaces and hyphens as printed are accepted.
    aadhaar = forms.CharField(
        label=_("Aadhaar number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_(
            "Optional. 12 digits; spaces or hyphens as on the card are fine. Only the last four digits are kept, "
            "with a code used to find earlier records."
        ),
    )
    hours_per_day = Case._meta.get_field("hours_per_day").formfield()
    wage_per_month = Case._meta.get_field("wage_per_month").formfield()
    months_employed = Case._meta.get_field("months_employed").formfield()
    hazardous = Case._meta.get_field("hazardous").formfield()
    bonded = Case._meta.get_field("bonded").formfield()
    bonded_indicators = forms.MultipleChoiceField(
        label=_("Signs of bonded labour"),
        choices=BondedIndicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    trafficked = Case._meta.get_field("trafficked").formfield()
    # The upload policy (clts.core.uploads): JPEG or PNG by content, re-encoded without EXIF or GPS.
    photo = PhotoUploadField(
        label=_("Photo"), required=False, help_text=_("JPEG or PNG, up to 5 MB. Its file name is not kept.")
    )
    # Set by the choice among earlier records shown while registering: "" (none shown), "new", or a candidate's
    # token (rescue.candidates): never a record id.
    match = forms.CharField(required=False, widget=forms.HiddenInput)
    # Declared here (the formset adds it too late for the early validation of BootstrapFormMixin).
    DELETE = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Child
        # What registration takes but the village record: the form takes the village as typed (home_village_text).
        fields = [name for name in CHILD_FIELDS if name != "home_village"]
        labels = {"age_years": _("Age (years)")}
        widgets = {
            "date_of_birth": DateInput(),
            "home_address": forms.Textarea(attrs={"rows": 2}),
            "age_years": forms.NumberInput(attrs={"min": 0, "max": 17, "inputmode": "numeric"}),
        }

    def __init__(self, *args, home: State, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("home_state", home.pk)
        super().__init__(*args, **kwargs)
        self.home = home
        self.fields["home_state"].widget.attrs["data-home-state"] = home.pk
        self.fields["home_district"].queryset = District.objects.filter(state=home)
        _blocks_of(self, "home_district", "home_block")
        self.fields["hours_per_day"].widget.attrs |= {"min": 0, "max": 24, "inputmode": "numeric"}

    def clean_aadhaar(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["aadhaar"])
        others = [character for character in number if not character.isdigit()]
        if others:
            raise ValidationError(
                _("An Aadhaar number has only digits: “%(character)s” is not one. Check the number on the card.")
                % {"character": others[0]}
            )
        if number and len(number) != 12:
            raise ValidationError(_("An Aadhaar number has 12 digits; %(count)s were typed.") % {"count": len(number)})
        return number

    def clean_match(self) -> str:
        value = self.cleaned_data["match"].strip()
        if value and value != "new" and not is_token(value):
            raise ValidationError(_("Choose one of the earlier records shown, or a different child."))
        return value

    def service_data(self) -> dict:
        # The choice goes to the service as the token it was shown under; the service finds the record again.
        return {name: value for name, value in self.cleaned_data.items() if name != "DELETE"}


class ChildForm(BootstrapFormMixin, _ChildForm):
    pass


# At most this many children in one registration form; a larger rescue is entered in more than one form.
MAX_CHILD_ROWS = 50


class BaseChildFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": ngettext_lazy(
            "At most %(num)d child can be registered in one form. Register the others in a second form.",
            "At most %(num)d children can be registered in one form. Register the others in a second form.",
            "num",
        ),
    }

    def too_many_rows(self) -> bool:
        """Whether the form was sent with more rows than allowed (read from the count, before any row is built)."""
        if not self.is_bound:
            return False
        total = str(self.data.get(self.add_prefix(TOTAL_FORM_COUNT), ""))
        return total.isdigit() and int(total) > self.absolute_max

    def children(self) -> list[ChildForm]:
        """The rows the officer filled in (rows added and left empty, or removed, are not children)."""
        return [
            form
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]


ChildFormSet = forms.formset_factory(
    ChildForm,
    formset=BaseChildFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_CHILD_ROWS,
    absolute_max=MAX_CHILD_ROWS,
    validate_max=True,
    can_delete=True,
)


def apply_service_errors(
    error: ValidationError, rescue_form: RescueForm, children: BaseChildFormSet, *, only_clean_fields: bool = False
) -> None:
    """Put the service's errors ("rescue.<field>", "children.<n>.<field>") beside the fields they concern.

    `only_clean_fields`: the form has errors of its own; a field it already marked keeps only its own message.
    """
    if not hasattr(error, "error_dict"):
        rescue_form.add_error(None, error)
        return
    rows = children.children()
    for key, messages in error.message_dict.items():
        parts = key.split(".")
        if parts[0] == "children" and len(parts) == 3 and int(parts[1]) < len(rows):
            form, field = rows[int(parts[1])], parts[2]
        else:
            form, field = rescue_form, parts[-1]
        if field not in form.fields:
            field = None
        if only_clean_fields and (field is None or field in form.errors):
            continue
        for message in messages:
            form.add_error(field, message)


class _TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    at = forms.DateTimeField(
        label=_("When"), required=False, widget=DateTimeLocalInput(), help_text=_("Leave empty for now.")
    )
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, moves: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [(move, Status(move).label) for move in moves]


class TransitionForm(BootstrapFormMixin, _TransitionForm):
    pass


class _DistrictTransferForm(forms.Form):
    to_district = forms.ModelChoiceField(label=_("Home district"), queryset=District.objects.none())
    to_block = forms.ModelChoiceField(label=_("Home block"), queryset=Block.objects.none(), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, home: State, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_district"].queryset = District.objects.filter(state=home)
        _blocks_of(self, "to_district", "to_block")


class DistrictTransferForm(BootstrapFormMixin, _DistrictTransferForm):
    pass


class _TransferStepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"))
    at = forms.DateTimeField(
        label=_("When"), required=False, widget=DateTimeLocalInput(), help_text=_("Leave empty for now.")
    )
    escort_name = forms.CharField(label=_("Escort's name"), max_length=120, required=False)
    escort_designation = forms.CharField(label=_("Escort's designation"), max_length=120, required=False)
    escort_phone = forms.CharField(label=_("Escort's phone"), max_length=15, required=False)
    travel_mode = forms.CharField(label=_("Mode of travel"), max_length=120, required=False)
    home_cwc = forms.ModelChoiceField(
        label=_("Home district's CWC that received the child"), queryset=Institution.objects.none(), required=False
    )
    handed_over_to = forms.CharField(
        label=_("Handed over to"),
        max_length=200,
        required=False,
        help_text=_("For a handover to another state: the authority that took charge of the child."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, steps: tuple[str, ...], home: State, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step, TransferStage(step).label) for step in steps]
        self.fields["home_cwc"].queryset = Institution.objects.filter(
            kind=Institution.Kind.CWC, state=home, is_active=True
        ).select_related("district")


class TransferStepForm(BootstrapFormMixin, _TransferStepForm):
    pass


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class _CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Case number or name"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none(), required=False)
    block = forms.ModelChoiceField(label=_("Block"), queryset=Block.objects.none(), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", _("Any"))] + Status.choices, required=False)
    since = forms.DateField(label=_("Rescued from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Rescued until"), required=False, widget=DateInput())
    interstate = forms.ChoiceField(
        label=_("Interstate"),
        choices=[("", _("Any")), ("any", _("Any interstate case"))] + Interstate.choices,
        required=False,
    )
    late = forms.BooleanField(label=_("Produced late"), required=False)
    retrafficked = forms.BooleanField(label=_("Re-trafficked"), required=False)
    transfer_pending = forms.BooleanField(label=_("Transfer pending"), required=False)
    similar = forms.BooleanField(label=_("Similar spellings too"), required=False)

    def __init__(self, *args, home: State | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(state=home) if home else District.objects.all()
        _blocks_of(self, "district", "block")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data


class CaseFilterForm(BootstrapFormMixin, _CaseFilterForm):
    pass


class _LinkDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("The same child: link the cases")), ("reject", _("A different child"))],
        widget=forms.RadioSelect,
    )
    update_fields = forms.MultipleChoiceField(
        label=_("Update the earlier record with the new details"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only if you confirm. Everything not ticked stays as it is on the earlier record."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, updatable: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["update_fields"].choices = [(row.field, row.label) for row in updatable]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and data.get("update_fields"):
            self.add_error("update_fields", _("A different child: nothing is updated on the earlier record."))
        return data


class LinkDecisionForm(BootstrapFormMixin, _LinkDecisionForm):
    pass


# --- Corrections after registration (rescue.services.corrections) --------------------------------------------

_REASON = forms.CharField(
    label=_("Why is it corrected?"),
    widget=forms.Textarea(attrs={"rows": 2}),
    help_text=_("Shown on the case's timeline with the names of the fields changed."),
)


class _ChildCorrectionForm(forms.ModelForm):
    reason = _REASON

    class Meta:
        model = Child
        fields = list(CHILD_CORRECTABLE)
        widgets = {"date_of_birth": DateInput(), "home_address": forms.Textarea(attrs={"rows": 2})}

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in CHILD_CORRECTABLE}


class ChildCorrectionForm(BootstrapFormMixin, _ChildCorrectionForm):
    pass


class _RescueCorrectionForm(forms.ModelForm):
    sections = forms.CharField(
        label=_("Sections invoked"),
        required=False,
        help_text=_("Separate with commas, for example: CALPRA 3, JJ Act 79, BNS 143, BLSA 16."),
    )
    reason = _REASON

    class Meta:
        model = RescueOperation
        fields = [name for name in RESCUE_CORRECTABLE if name != "sections"]
        widgets = {"employer_address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and self.instance.pk:
            self.initial["sections"] = ", ".join(self.instance.sections)

    clean_sections = _RescueForm.clean_sections

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in RESCUE_CORRECTABLE}


class RescueCorrectionForm(BootstrapFormMixin, _RescueCorrectionForm):
    pass


class _CwcAssignForm(forms.Form):
    cwc = forms.ModelChoiceField(queryset=Institution.objects.none(), label=_("CWC the child is produced before"))
    reason = _REASON

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("cwc", case.cwc_id)
        super().__init__(*args, **kwargs)
        districts = {case.district_id, case.home_district_id} - {None}
        self.fields["cwc"].queryset = Institution.objects.filter(
            kind=Institution.Kind.CWC, is_active=True, district_id__in=districts
        ).order_by("name")


class CwcAssignForm(BootstrapFormMixin, _CwcAssignForm):
    pass


class _DuplicateDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("The same child: link the cases")), ("reject", _("Two different children"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for two different children: what shows it (another father, another village ...)."),
    )


class DuplicateDecisionForm(BootstrapFormMixin, _DuplicateDecisionForm):
    pass
