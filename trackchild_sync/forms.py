"""Forms of trackchild_sync: parse what the CWC member typed; the rules live in trackchild_sync.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin, DateInput, DateTimeLocalInput
from clts.orgs.models import Institution
from rescue.models import Case, Status
from trackchild_sync.models import CwcOrder


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
    cci = forms.ModelChoiceField(
        label=_("CCI or shelter"),
        queryset=Institution.objects.none(),
        required=False,
        help_text=_("For interim shelter or placement in a CCI."),
    )
    restored_to = forms.CharField(
        label=_("Restored to"),
        max_length=200,
        required=False,
        help_text=_("For restoration: the family member who takes charge of the child."),
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.status != Status.RESCUED:
            del self.fields["produced_at"], self.fields["late_reason"]
        cwc = case.cwc
        ccis = Institution.objects.filter(kind=Institution.Kind.CCI, is_active=True).select_related("district")
        if cwc is not None and cwc.district_id:
            # The CWC's own district first: that is where a child is usually placed.
            ccis = ccis.filter(state_id=cwc.state_id)
        self.fields["cci"].queryset = ccis.order_by("district__name_en", "name")


class CwcOrderForm(BootstrapFormMixin, _CwcOrderForm):
    pass
