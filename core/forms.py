"""Form helpers shared by the apps' web views."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_service_errors(form, error: ValidationError, *, aliases: dict[str, str] | None = None, rest=None) -> None:
    """Put a service's ValidationError on the form, so a page shows the service's Chinese message where the input
    was: a field's errors beside that field when the form has it (and the user can change it: a disabled field's
    errors go on top), every other error as a non-field error.

    ``aliases`` maps a service's key to the form's field name (``{"expert": "experts"}``) where they differ (used
    when the form has that field);
    ``rest``, when given, receives the errors that belong to no field of the form (one ValidationError per key, or
    the whole error when it has no keys) instead of the form's non-field errors."""
    aliases = aliases or {}

    def leftover(errors: ValidationError) -> None:
        if rest is not None:
            rest(errors)
        else:
            form.add_error(None, errors.messages)

    if not hasattr(error, "error_dict"):
        leftover(error)
        return
    for key, messages in error.message_dict.items():
        field = aliases.get(key)
        if field not in form.fields:
            field = key
        if field in form.fields and not form.fields[field].disabled:
            form.add_error(field, messages)
        else:
            leftover(ValidationError({key: messages}) if rest is not None else ValidationError(messages))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (``<input type=file multiple>``): a list, empty when none was chosen; the
    service checks each (core.uploads) and how many."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
