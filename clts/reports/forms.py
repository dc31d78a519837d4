"""Forms of the report pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin, DateInput
from clts.reports import widgets
from clts.reports.filters import MonthField, add_months, first_of_month
from clts.reports.queries import report_districts
from clts.reports.services import own_district_id

LANGUAGE_CHOICES = [("en", "English"), ("hi", "हिन्दी")]


class MonthlyReportForm(BootstrapFormMixin, forms.Form):
    month = MonthField(label=_("Month"))
    district = forms.ModelChoiceField(
        label=_("Report of"),
        queryset=report_districts(),
        required=False,
        empty_label=_("The state"),
        widget=widgets.Select,
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES, widget=widgets.Select)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {"month": add_months(first_of_month(timezone.localdate()), -1)})
        super().__init__(*args, **kwargs)
        if not user.is_state_wide:
            # A district's offices ask for their own district's report.
            self.fields["district"].queryset = report_districts().filter(pk=own_district_id(user))
            self.fields["district"].required = True
            self.fields["district"].empty_label = None


class ExportForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("List"))
    file_format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])
    since = forms.DateField(label=_("Rescued from"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Rescued until"), required=False, widget=DateInput())
    district = forms.ModelChoiceField(
        label=_("District"), queryset=report_districts(), required=False, empty_label=_("All I may see")
    )

    def __init__(self, *args, lists, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(item.kind, item.label) for item in lists]

    def params(self) -> dict:
        data = self.cleaned_data
        params = {name: data[name].isoformat() for name in ("since", "until") if data.get(name)}
        if data.get("district"):
            params["district"] = data["district"].pk
        return params
