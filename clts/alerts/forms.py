from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("What is being done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The item stays on the list until the work is done; it leaves the daily e-mail."),
    )


def _month(value: date) -> date:
    return value.replace(day=1)


def _months_back(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


class PeriodForm(BootstrapFormMixin, forms.Form):
    """The months of the compliance page (deadlines that fell due in them) and what to break them down by."""

    month_from = forms.DateField(
        label=_("From month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    month_to = forms.DateField(
        label=_("To month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    by = forms.ChoiceField(
        label=_("By"),
        required=False,
        choices=[
            ("district", _("District")),
            ("block", _("Block")),
            ("officer", _("Officer")),
            ("institution", _("Institution")),
        ],
    )
    rule = forms.ChoiceField(label=_("Deadline in the chart"), required=False)

    def __init__(self, *args, rules=(), default_by="district", **kwargs):
        super().__init__(*args, **kwargs)
        self.default_by = default_by
        self.fields["rule"].choices = [("", _("All deadlines"))] + [(rule.code, rule.name) for rule in rules]

    @staticmethod
    def initial_data(*, default_by: str) -> dict:
        """What the page shows before the user chooses: the last six months, broken down the user's usual way."""
        month_to = _month(timezone.localdate())
        return {
            "month_from": f"{_months_back(month_to, 5):%Y-%m}",
            "month_to": f"{month_to:%Y-%m}",
            "by": default_by,
        }

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        month_to = _month(data.get("month_to") or today)
        month_from = _month(data.get("month_from") or _months_back(month_to, 5))
        if month_from > month_to:
            raise forms.ValidationError(_("The first month must come before the last."))
        if (month_to.year - month_from.year) * 12 + month_to.month - month_from.month > 60:
            raise forms.ValidationError(_("Choose at most five years."))
        data["month_from"], data["month_to"] = month_from, month_to
        data["by"] = data.get("by") or self.default_by
        return data
