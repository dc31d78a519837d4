"""Forms of the report pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin
from clts.reports.filters import MonthField
from clts.reports.queries import report_districts
from clts.reports.services import own_district_id

LANGUAGE_CHOICES = [("en", "English"), ("hi", "हिन्दी")]


class MonthlyReportForm(BootstrapFormMixin, forms.Form):
    month = MonthField(label=_("Month"))
    district = forms.ModelChoiceField(
        label=_("Report of"), queryset=report_districts(), required=False, empty_label=_("The state")
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not user.is_state_wide:
            # A district's offices ask for their own district's report.
            self.fields["district"].queryset = report_districts().filter(pk=own_district_id(user))
            self.fields["district"].required = True
            self.fields["district"].empty_label = None
