"""The report pages' selects and month inputs are written in Python (speed); they must give Django's own markup."""

from datetime import date

from django import forms

from clts.reports import widgets
from clts.reports.filters import FilterForm


class _Named:
    def __init__(self, pk, name):
        self.pk, self.name = pk, name

    def __str__(self):
        return self.name


def _pair(widget_class, django_class, **field_kwargs):
    class Ours(forms.Form):
        field = forms.ChoiceField(widget=widget_class, **field_kwargs)

    class Djangos(forms.Form):
        field = forms.ChoiceField(widget=django_class, **field_kwargs)

    return Ours, Djangos


def test_a_select_is_written_as_django_writes_it_with_every_value_escaped():
    choices = [("", "All"), ("1", 'Pa<tna> & "Gaya"'), ("x'y", "Nālandā"), ("Group", [("g1", "in a group")])]
    ours, djangos = _pair(widgets.Select, forms.Select, choices=choices, required=False)
    for data in ({}, {"field": "1"}, {"field": "x'y"}, {"field": "g1"}):
        a, b = ours(data or None), djangos(data or None)
        for form in (a, b):
            form.fields["field"].widget.attrs.update({"class": "form-select", "data-x": True, "hidden-no": False})
        assert str(a["field"]) == str(b["field"])
    assert "<tna>" not in str(ours({"field": "1"})["field"])


def test_the_month_input_is_written_as_django_writes_it():
    class Ours(forms.Form):
        month = forms.DateField(widget=widgets.MonthInput, input_formats=["%Y-%m"], required=False)

    class Djangos(forms.Form):
        month = forms.DateField(
            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"), input_formats=["%Y-%m"], required=False
        )

    for kwargs in ({}, {"initial": {"month": date(2026, 3, 1)}}, {"data": {"month": '2026-03"><b>'}}):
        assert str(Ours(**kwargs)["month"]) == str(Djangos(**kwargs)["month"])


def test_the_filter_form_keeps_its_bootstrap_classes_and_choices():
    form = FilterForm({"district": "7", "sex": "f"}, districts=[_Named(7, "Gaya"), _Named(8, "Patna")])
    html = str(form["district"])
    assert 'class="form-select"' in html and '<option value="7" selected>Gaya</option>' in html
    assert 'type="month"' in str(form["month_from"]) and 'class="form-control"' in str(form["month_from"])
