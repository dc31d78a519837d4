"""Each error of a form is tied to its field for a screen reader (aria-describedby names an element on the page);
`submit` writes through a form and puts a refusal onto it."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation

from clts.core.forms import BootstrapFormMixin, submit


class VisitForm(BootstrapFormMixin, forms.Form):
    place = forms.CharField(label="Place", help_text="Where the child was met.")
    found = forms.ChoiceField(label="Found", choices=[("yes", "Yes"), ("no", "No")], widget=forms.RadioSelect)
    count = forms.IntegerField(label="Count")


def _described(html: str, input_id: str) -> list[str]:
    tag = re.search(rf'<input[^>]*id="{input_id}"[^>]*>', html).group(0)
    described = re.search(r'aria-describedby="([^"]*)"', tag)
    return described.group(1).split() if described else []


def _text_of(html: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}"[^>]*>(.*?)</div>\s*(</div>)?', html, re.S)
    assert match, f"no element #{element_id} on the page"
    return re.sub(r"<[^>]+>", " ", match.group(1))


def _page(form) -> str:
    with translation.override("en"):
        return "".join(render_to_string("includes/field.html", {"field": form[name]}) for name in form.fields)


def test_every_error_and_help_text_is_named_by_its_input():
    form = VisitForm(data={"place": "", "count": "many"})
    with translation.override("en"):
        assert not form.is_valid()
    html = _page(form)

    assert _described(html, "id_place") == ["id_place_helptext", "id_place_error"]
    assert "Where the child was met." in _text_of(html, "id_place_helptext")
    assert "This field is required." in _text_of(html, "id_place_error")
    assert "Enter a whole number." in _text_of(html, "id_count_error")
    assert _described(html, "id_count") == ["id_count_error"]
    # Each radio of the group names the group's error, which Django alone leaves out.
    for radio in ("id_found_0", "id_found_1"):
        assert _described(html, radio) == ["id_found_error"]
    assert "This field is required." in _text_of(html, "id_found_error")
    assert html.count('aria-invalid="true"') == 4  # place, both radios, count
    assert "<legend" in html and 'for=""' not in html


def test_a_corrected_form_describes_nothing_that_is_gone():
    form = VisitForm(data={"place": "Bodh Gaya", "found": "yes", "count": "2"})
    assert form.is_valid()
    html = _page(form)
    assert _described(html, "id_place") == ["id_place_helptext"]
    assert _described(html, "id_found_0") == []
    assert "_error" not in html and "is-invalid" not in html


class _AmountForm(forms.Form):
    amount = forms.IntegerField()


def _refuse(data):
    raise ValidationError({"amount": "Too much for this component."})


def test_submit_runs_the_service_only_for_a_valid_form_and_keeps_what_it_returned():
    calls = []
    assert not submit(_AmountForm({"amount": "x"}), calls.append)
    assert calls == []
    # A service that returns nothing has still run.
    submitted = submit(_AmountForm({"amount": "7"}), lambda data: calls.append(data["amount"]))
    assert submitted and submitted.result is None and calls == [7]
    assert submit(_AmountForm({"amount": "7"}), lambda data: data["amount"] * 2).result == 14


def test_submit_puts_a_refusal_beside_the_field_it_names():
    form = _AmountForm({"amount": "9"})
    assert not submit(form, _refuse)
    assert form.errors["amount"] == ["Too much for this component."]
