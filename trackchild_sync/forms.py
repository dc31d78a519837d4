"""Forms of trackchild_sync: parse what the CWC member typed; the rules live in trackchild_sync.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin, DateInput, DateTimeLocalInput
from clts.core.uploads import PhotoUploadField
from clts.orgs.models import Institution
from rescue.choices import Sex
from rescue.models import Case, Status
from trackchild_sync import queries
from trackchild_sync.choices import LeavingReason, Movement
from trackchild_sync.models import CwcOrder, CwcSitting
from trackchild_sync.models.description import Complexion


class _CwcOrderForm(forms.Form):
    produced_at = forms.DateTimeField(label=_("Produced before the Committee at"), widget=DateTimeLocalInput())
    late_reason = forms.CharField(
        label=_("Reason for producing after 24 hours"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Order of the Committee"),
        choices=[("", _("No order yet"))] + CwcOrder.Kind.choices,
        required=False,
    )
    order_number = forms.CharField(label=_("Order number"), max_length=60, required=False)
    ordered_on = forms.DateField(label=_("Date of order"), required=False, widget=DateInput())
    sitting = forms.ModelChoiceField(
        label=_("Sitting"),
        queryset=CwcSitting.objects.none(),
        required=False,
        help_text=_("The sitting at which the order was passed, if recorded."),
    )
    cci = forms.ModelChoiceField(
        label=_("CCI or shelter"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("For interim shelter or placement in a CCI."),
    )
    exception_order = forms.CharField(
        label=_("Exception to what the home takes"),
        max_length=200,
        required=False,
        help_text=_(
            "Only when the home does not take the child's sex or age: why the Committee places the child there."
        ),
    )
    restored_to = forms.CharField(
        label=_("Restored to"),
        max_length=200,
        required=False,
        help_text=_("For restoration: the family member who takes charge of the child."),
    )
    restored_place = forms.CharField(
        label=_("Restored at"),
        max_length=200,
        required=False,
        help_text=_("For restoration: where the child will live (village or town, and the address)."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.status != Status.RESCUED:
            del self.fields["produced_at"], self.fields["late_reason"]
        cwc = case.cwc
        if cwc is not None:
            self.fields["sitting"].queryset = CwcSitting.objects.filter(cwc=cwc).order_by("-sat_on")[:60]
        ccis = Institution.objects.filter(kind=Institution.Kind.CCI, is_active=True).select_related("district")
        if cwc is not None and cwc.district_id:
            # The CWC's own district first: that is where a child is usually placed.
            ccis = ccis.filter(state_id=cwc.state_id)
        self.fields["cci"].queryset = ccis.order_by("district__name_en", "name")


class CwcOrderForm(BootstrapFormMixin, _CwcOrderForm):
    pass


# --- the CCI register -------------------------------------------------------------------------------------------


class _AdmissionForm(forms.Form):
    case_number = forms.CharField(
        label=_("CLTS case number"),
        max_length=32,
        required=False,
        help_text=_("For a child with a CLTS case: the particulars are taken from the case."),
    )
    cwc = forms.ModelChoiceField(label=_("CWC that ordered the placement"), queryset=Institution.objects.none())
    order_number = forms.CharField(label=_("CWC order number"), max_length=60, required=False)
    ordered_on = forms.DateField(label=_("Date of the CWC order"), widget=DateInput())
    admitted_on = forms.DateField(label=_("Admitted on"), widget=DateInput())
    exception_order = forms.CharField(
        label=_("CWC exception"),
        max_length=200,
        required=False,
        help_text=_("Only when the home does not take the child's sex or age: the CWC's order making the exception."),
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—")] + Sex.choices, required=False)
    age_years = forms.IntegerField(label=_("Age (years)"), min_value=0, max_value=25, required=False)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    height_cm = forms.IntegerField(label=_("Height (cm)"), min_value=30, max_value=220, required=False)
    complexion = forms.ChoiceField(label=_("Complexion"), choices=[("", "—")] + Complexion.choices, required=False)
    identifying_marks = forms.CharField(
        label=_("Identifying marks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    languages = forms.CharField(label=_("Languages spoken"), max_length=120, required=False)
    guardian_name = forms.CharField(label=_("Parent or guardian"), max_length=120, required=False)
    photo = PhotoUploadField(label=_("Photo"), required=False)

    def __init__(self, *args, home: Institution, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["cwc"].queryset = queries.cwcs_for_admission(home=home)
        if home.district_id:
            own = queries.cwcs_for_admission(home=home).filter(district_id=home.district_id).first()
            self.fields["cwc"].initial = own

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        if not number:
            return None
        case = queries.case_for_admission(user=self.user, case_number=number)
        if case is None:
            raise forms.ValidationError(
                _("No case with this number that you can see. Leave it empty for a child without a CLTS case.")
            )
        return case


class AdmissionForm(BootstrapFormMixin, _AdmissionForm):
    pass


class _MovementForm(forms.Form):
    movement = forms.ChoiceField(label=_("Entry"), choices=Movement.choices)
    on = forms.DateField(label=_("Date"), widget=DateInput())
    reason = forms.ChoiceField(
        label=_("Reason for leaving"),
        choices=[("", "—")] + [c for c in LeavingReason.choices if c[0] != LeavingReason.TRANSFER],
        required=False,
    )
    to = forms.ModelChoiceField(label=_("To the home"), queryset=Institution.objects.none(), required=False)
    ordered_on = forms.DateField(label=_("Date of the CWC order"), required=False, widget=DateInput())
    order_number = forms.CharField(label=_("CWC order number"), max_length=60, required=False)
    exception_order = forms.CharField(label=_("CWC exception"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, home: Institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = queries.transfer_targets(home=home)

    def clean(self):
        data = super().clean()
        if data.get("movement") == Movement.DISCHARGE and not data.get("reason"):
            self.add_error("reason", _("Choose why the child left."))
        if data.get("movement") == Movement.TRANSFER:
            if not data.get("to"):
                self.add_error("to", _("Choose the home the child moves to."))
            if not data.get("ordered_on"):
                self.add_error("ordered_on", _("Give the date of the CWC order: no child moves without one."))
        return data


class MovementForm(BootstrapFormMixin, _MovementForm):
    pass


class _SittingForm(forms.Form):
    sat_on = forms.DateField(label=_("Date of the sitting"), widget=DateInput())
    members_present = forms.IntegerField(label=_("Members present"), min_value=1, max_value=5)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SittingForm(BootstrapFormMixin, _SittingForm):
    pass
