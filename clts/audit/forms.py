from django import forms
from django.utils.translation import gettext_lazy as _

from clts.audit import queries
from clts.core.forms import DateInput


class AuditFilterForm(forms.Form):
    user = forms.IntegerField(label=_("User id"), required=False, min_value=1)
    object_type = forms.ChoiceField(label=_("Record type"), required=False)
    object_id = forms.CharField(label=_("Record id"), required=False, max_length=40)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Both logs are filtered by the same value: the model's lower-case label, as the access log stores it.
        self.fields["object_type"].choices = [("", _("Any"))] + [
            (model._meta.label_lower, f"{model._meta.verbose_name} ({model._meta.app_label})")
            for model in queries.tracked_models()
        ]
