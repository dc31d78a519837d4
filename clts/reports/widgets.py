"""The report pages' select and month inputs, written in Python with the markup of Django's own widget templates.

Django renders a select through a template per option (select.html, then select_option.html and attrs.html for
each of them): the filter form's six fields (38 districts, the sexes, age categories and industries) took a third
of a dashboard's rendering under the profiler, 15-35 ms on this shared machine, and a page without figures (the
monthly reports' list, its district select) half of its own. Same HTML, every value escaped.
"""

from __future__ import annotations

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def flat_attrs(attrs: dict) -> SafeString:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)))
    return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], flat_attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        str(option["value"]),
                        flat_attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (each part built by format_html)


class MonthInput(forms.DateInput):
    """The browser's month picker (YYYY-MM)."""

    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        value_part = format_html(' value="{}"', str(widget["value"])) if widget["value"] is not None else ""
        return format_html(
            '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], value_part, flat_attrs(widget["attrs"])
        )
