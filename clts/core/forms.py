"""What every form of the portal shares: Bootstrap styling, the date widgets, a service's errors onto the form, and
a write through a form (`submit`)."""

from django import forms
from django.core.exceptions import ValidationError


class BootstrapFormMixin:
    """Add Bootstrap's input classes to every widget, and mark fields with errors as invalid.

    Each error is tied to its field for a screen reader: the partials render a field's help and errors under the
    ids `<id>_helptext` and `<id>_error` (templates/includes/field.html, field_errors.html), which Django names in
    a single input's `aria-describedby`. Django leaves out the radios and boxes of a group (it describes their
    fieldset, which our templates draw themselves), so the mixin names them on every input of the group.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        # Marked after validation, not in __init__: reading self.errors there would validate the form before a
        # subclass has set its querysets.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        for name, field in self.fields.items():
            bound = self[name]
            if bound.use_fieldset and bound.auto_id:
                described = [f"{bound.auto_id}_helptext"] if bound.help_text else []
                described += [f"{bound.auto_id}_error"] if name in self.errors else []
                if described:
                    field.widget.attrs["aria-describedby"] = " ".join(described)
                else:
                    field.widget.attrs.pop("aria-describedby", None)


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ISO 8601 whatever the reader's language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service refused: each message goes beside the field it names when the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class Submitted:
    """What `submit` returns: true when the service ran, with what it returned in `result`."""

    __slots__ = ("ran", "result")

    def __init__(self, ran: bool, result=None):
        self.ran, self.result = ran, result

    def __bool__(self) -> bool:
        return self.ran


def submit(form: forms.BaseForm, write) -> Submitted:
    """A write through a form: when the form is valid, `write(cleaned_data)` calls one service; a refusal
    (ValidationError) goes onto the form (`add_service_errors`). True when the service ran."""
    if not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, write(form.cleaned_data))
    except ValidationError as error:
        add_service_errors(form, error)
        return Submitted(False)
