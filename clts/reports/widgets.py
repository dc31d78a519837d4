"""The report pages' select and month inputs, written in Python with the markup of Django's own widget templates.

Django renders a select through a template per option (select.html, then select_option.html and attrs.html for
each of them): the filter form's six fields (38 districts, the sexes, age categories and industries) took a third
of a dashboard's rendering under the profiler, 15-35 ms on this shared machine, and a page without figures (the
monthly reports' list, its district select) half of its own. Same HTML, every value escaped.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe


def flat_attrs(attrs: dict) -> SafeString:
    """What django/forms/widgets/attrs.html writes: ` name="value"`, a bare name for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"')
    return mark_safe("".join(parts))  # noqa: S308 (every name and value escaped)


class Select(forms.Select):
    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html('<select name="{}"{}>', widget["name"], flat_attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                html.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                # The label escaped as the template escapes it (a SafeString label is written as it is).
                value, text = escape(str(option["value"])), conditional_escape(option["label"])
                html.append(f'\n  <option value="{value}"{flat_attrs(option["attrs"])}>{text}</option>\n')
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (every value and label escaped)


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
