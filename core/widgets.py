"""Searchable selects for the long lists (projects, enterprises): the page holds only the chosen option.

``AutocompleteSelect`` renders a normal ``<select>`` (so the form posts and validates as before) with the empty
choice and the selected value only, plus ``data-autocomplete-url``; ``static/js/autocomplete.js`` puts a search box
in front of it that asks ``/autocomplete/<kind>/?q=…`` (debounced) for the matches the user may see.
``make_searchable(form)`` swaps the widget of every project/enterprise choice field of a form or filter form.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

SEARCHABLE_MODELS = {"projects.Project": "projects", "accounts.Enterprise": "enterprises"}


class AutocompleteSelect(forms.Select):
    def __init__(self, kind: str, attrs=None, choices=(), url_name: str | None = None):
        super().__init__(attrs, choices)
        self.kind = kind
        self.url_name = url_name  # another source than /autocomplete/<kind>/ (e.g. a public one)

    def get_context(self, name, value, attrs):
        url = reverse(self.url_name) if self.url_name else reverse("autocomplete", args=[self.kind])
        attrs = {**(attrs or {}), "data-autocomplete-url": url}
        attrs.setdefault("data-placeholder", "输入名称或编号搜索…")
        return super().get_context(name, value, attrs)

    def optgroups(self, name, value, attrs=None):
        """Only the empty choice and the selected value(s): one query for the chosen row, never the whole list."""
        chosen = [str(v) for v in value if v not in ("", None)]
        choices = self.choices
        field = getattr(choices, "field", None)
        options = []
        if field is not None:
            if field.empty_label is not None:
                options.append(("", field.empty_label))
            if chosen:
                key = field.to_field_name or "pk"
                try:
                    rows = list(field.queryset.filter(**{f"{key}__in": chosen}))
                except (ValueError, TypeError):
                    rows = []
                options += [(str(getattr(row, key)), field.label_from_instance(row)) for row in rows]
        else:  # plain choices (no queryset): as a normal select
            options = [(str(v), label) for v, label in choices]
        groups = []
        for index, (option_value, label) in enumerate(options):
            selected = option_value in chosen or (not chosen and option_value == "")
            groups.append((None, [self.create_option(name, option_value, label, selected, index, attrs=attrs)], index))
        return groups


def make_searchable(form) -> None:
    for field in form.fields.values():
        if isinstance(field, forms.ModelMultipleChoiceField) or not isinstance(field, forms.ModelChoiceField):
            continue
        kind = SEARCHABLE_MODELS.get(field.queryset.model._meta.label)
        if kind and not isinstance(field.widget, AutocompleteSelect):
            widget = AutocompleteSelect(kind, attrs=field.widget.attrs)
            widget.choices = field.widget.choices
            widget.is_required = field.widget.is_required
            field.widget = widget


class SearchableSelectsMixin:
    """Forms: every project/enterprise choice becomes a searchable select (after the form set its querysets)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        make_searchable(self)


class PhoneInput(forms.TextInput):
    """A phone number: ``type="tel"`` brings up the phone keypad on a phone (digits, +, -), autocomplete fills it."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "tel", "inputmode": "tel", **(attrs or {})})
