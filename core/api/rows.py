"""Fast rows: the same JSON as DRF's ``Serializer.to_representation``, built from a per-serializer plan.

DRF serialises a row field by field through ``get_attribute`` / ``to_representation`` with several generic checks
per value (callable source? PK-only object? dotted source?). For a 35-field project row that is most of a list
page's time. ``FastRowsMixin`` decides once per serializer instance how each readable field gets its value:

- a concrete model field named by a plain source: read the attribute; ``str``/``int``/``bool`` values of DRF's
  ``CharField``/``ChoiceField``/``IntegerField``/``BooleanField`` are returned as they are (what DRF would
  return), anything else (decimals, dates, datetimes, …) goes through the field's own ``to_representation``;
- a ``PrimaryKeyRelatedField`` on a plain source: the ``<name>_id`` column;
- ``DisplayField``: the choice label from the model field's choices (as ``get_<field>_display()``);
- a dotted source (``county.name``, ``award.get_level_display``): the attributes in turn (simple callables called,
  as DRF does), and the field's conversion;
- ``SerializerMethodField``: the method;
- everything else (nested serializers, list fields, properties, callables): DRF's own path for that field.

When a dotted source meets ``None`` the row falls back to DRF's path as a whole, so the output is the same in
every case; ``tests/core/test_fast_rows.py`` compares both paths row by row on the serializers that use it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils.encoding import force_str
from rest_framework import serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

from core.api.fields import DisplayField

_AS_IS = {
    serializers.CharField: str,
    serializers.ChoiceField: str,
    serializers.IntegerField: int,
    serializers.BooleanField: bool,
}


class _Fallback(Exception):
    """The fast path cannot tell what DRF would do for this row: take DRF's path."""


def _model_field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


class FastRowsMixin:
    """Mix into a ``ModelSerializer`` (before it) for the same output at a fraction of the cost per row."""

    def _row_plan(self) -> list[tuple[str, Callable]]:
        plan = getattr(self, "_fast_row_plan", None)
        if plan is None:
            model = self.Meta.model
            plan = [(field.field_name, self._getter(model, field)) for field in self._readable_fields]
            self._fast_row_plan = plan
        return plan

    def _getter(self, model, field) -> Callable:
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(self, field.method_name)
            return method
        if isinstance(field, DisplayField):
            model_field = _model_field(model, field.choice_field)
            if model_field is None or not model_field.choices:
                return self._drf(field)
            labels = dict(model_field.flatchoices)
            attname = model_field.attname
            return lambda obj: force_str(labels.get(getattr(obj, attname), getattr(obj, attname)), strings_only=True)
        source = field.source
        if source == "*" or not source:
            return self._drf(field)
        if "." in source:
            attrs = source.split(".")
            convert = self._converter(field)

            def dotted(obj):
                value = obj
                for attr in attrs:
                    value = getattr(value, attr)
                    if value is None:
                        raise _Fallback
                    if callable(value):  # DRF calls simple callables (e.g. ``award.get_level_display``)
                        if not is_simple_callable(value):
                            raise _Fallback
                        value = value()
                        if value is None:
                            raise _Fallback
                return convert(value)

            return dotted
        model_field = _model_field(model, source)
        if model_field is None or not model_field.concrete or model_field.many_to_many:
            return self._drf(field)
        if model_field.is_relation:
            if type(field) is serializers.PrimaryKeyRelatedField and field.pk_field is None:
                attname = model_field.attname
                return lambda obj: getattr(obj, attname)
            return self._drf(field)
        attname = model_field.attname
        convert = self._converter(field)

        def plain(obj):
            value = getattr(obj, attname)
            return None if value is None else convert(value)

        return plain

    @staticmethod
    def _converter(field) -> Callable:
        as_is = _AS_IS.get(type(field))
        to_rep = field.to_representation
        if as_is is None:
            return to_rep
        return lambda value: value if type(value) is as_is else to_rep(value)

    @staticmethod
    def _drf(field) -> Callable:
        def drf(obj):
            attribute = field.get_attribute(obj)  # may raise SkipField
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            return None if check is None else field.to_representation(attribute)

        return drf

    def to_representation(self, instance):
        row = {}
        try:
            for name, get in self._row_plan():
                try:
                    row[name] = get(instance)
                except SkipField:
                    continue
        except (_Fallback, ObjectDoesNotExist, AttributeError):
            return super().to_representation(instance)
        return row

    def drf_representation(self, instance):
        """DRF's own row (for the equivalence tests)."""
        return super().to_representation(instance)
