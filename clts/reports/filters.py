"""The filters every report page shares: period, district, sex, age category, industry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin
from clts.reports.widgets import MonthInput, Select
from rescue.choices import Category, Industry, Sex


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    months, month = [], first_of_month(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


@dataclass(frozen=True)
class Filters:
    """What a page counts: months of rescue from `month_from` to `month_to` (first days, both included)."""

    month_from: date
    month_to: date
    district: int | None = None
    sex: str = ""
    category: str = ""
    industry: str = ""

    @property
    def splits_cases(self) -> bool:
        """Whether a filter applies that only the case figures carry (the other tables follow period and district)."""
        return bool(self.sex or self.category or self.industry)

    @property
    def months(self) -> list[date]:
        return months_between(self.month_from, self.month_to)

    def cache_part(self) -> str:
        return f"{self.month_from:%Y%m}-{self.month_to:%Y%m}-{self.district}-{self.sex}-{self.category}-{self.industry}"

    def as_query(self) -> dict:
        query = {"month_from": f"{self.month_from:%Y-%m}", "month_to": f"{self.month_to:%Y-%m}"}
        for name in ("district", "sex", "category", "industry"):
            if value := getattr(self, name):
                query[name] = value
        return query


def default_filters() -> Filters:
    """The last twelve months, this one included."""
    this_month = first_of_month(timezone.localdate())
    return Filters(month_from=add_months(this_month, -11), month_to=this_month)


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker), read as its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m"]


class FilterForm(BootstrapFormMixin, forms.Form):
    month_from = MonthField(label=_("From month"), required=False)
    month_to = MonthField(label=_("To month"), required=False)
    district = forms.TypedChoiceField(label=_("District"), coerce=int, empty_value=None, required=False, widget=Select)
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", _("All"))] + list(Sex.choices), required=False, widget=Select)
    category = forms.ChoiceField(
        label=_("Age category"), choices=[("", _("All"))] + list(Category.choices), required=False, widget=Select
    )
    industry = forms.ChoiceField(
        label=_("Industry"), choices=[("", _("All"))] + list(Industry.choices), required=False, widget=Select
    )

    def __init__(self, *args, districts, with_district: bool = True, **kwargs):
        default = default_filters()
        kwargs.setdefault("initial", {"month_from": default.month_from, "month_to": default.month_to})
        super().__init__(*args, **kwargs)
        if with_district:
            # The districts as a list the caller has read once (it finds the chosen one in it too).
            self.fields["district"].choices = [("", _("All districts")), *((d.pk, str(d)) for d in districts)]
        else:
            del self.fields["district"]

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("The last month comes before the first."))
        if start and end and len(months_between(start, end)) > 120:
            self.add_error("month_from", _("Choose at most ten years."))
        return data

    def filters(self) -> Filters:
        """The filters chosen, the default period where none is given (call after is_valid)."""
        default = default_filters()
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            month_from=first_of_month(data.get("month_from") or default.month_from),
            month_to=first_of_month(data.get("month_to") or default.month_to),
            district=data.get("district"),
            sex=data.get("sex") or "",
            category=data.get("category") or "",
            industry=data.get("industry") or "",
        )
