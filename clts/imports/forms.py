"""Forms of the import pages: the upload, and the column mapping (one choice of column per field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from clts.core.forms import BootstrapFormMixin
from clts.core.uploads import TableUploadField
from clts.geo.models import District
from clts.imports.choices import Kind
from clts.imports.kinds import RegisterKind


class UploadForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What the register holds"), choices=Kind.choices)
    district = forms.ModelChoiceField(
        label=_("District of the register"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("Its column mapping is remembered for the next file from the same district."),
    )
    file = TableUploadField(
        label=_("Register file"), help_text=_("CSV or Excel workbook (.xlsx); the first sheet is read.")
    )

    def __init__(self, *args, state=None, **kwargs):
        super().__init__(*args, **kwargs)
        districts = District.objects.order_by("name_en")
        self.fields["district"].queryset = districts.filter(state=state) if state else districts


class MappingForm(BootstrapFormMixin, forms.Form):
    """One select per field of the kind, offering the file's columns; "not in this file" when absent."""

    save_template = forms.BooleanField(
        label=_("Remember this mapping for the next file from this district"), required=False
    )

    def __init__(self, *args, kind: RegisterKind, headers: list[str], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("— not in this file —"))] + [
            (str(index), f"{index + 1}. {header or _('(no header)')}") for index, header in enumerate(headers)
        ]
        self.kind = kind
        for column in kind.columns:
            current = mapping.get(column.name)
            self.fields[f"field_{column.name}"] = forms.ChoiceField(
                label=column.label,
                choices=options,
                required=False,
                initial="" if current is None else str(current),
                help_text=column.help,
            )
        self.order_fields([f"field_{column.name}" for column in kind.columns] + ["save_template"])

    def mapping(self) -> dict[str, int]:
        return {
            column.name: int(self.cleaned_data[f"field_{column.name}"])
            for column in self.kind.columns
            if self.cleaned_data.get(f"field_{column.name}") not in (None, "")
        }

    def column_fields(self):
        return [(column, self[f"field_{column.name}"]) for column in self.kind.columns]
