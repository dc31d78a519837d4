from django import forms
from django.utils.translation import gettext_lazy as _

from clts.core.forms import DateInput


class AuditFilterForm(forms.Form):
    user = forms.IntegerField(label=_("User id"), required=False, min_value=1)
    object_type = forms.CharField(
        label=_("Record type"), required=False, max_length=60, help_text=_("For example rescue.case")
    )
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=40)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())
