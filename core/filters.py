"""Filter fields shared by every app's FilterSet: inputs validated at the edge (a bad value is a 400, not a 500)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms

YEAR_MIN, YEAR_MAX = 2000, 2100


class YearField(forms.IntegerField):
    default_error_messages = {
        "invalid": "年度必须是整数，例如 2023。",
        "min_value": f"年度不能早于 {YEAR_MIN} 年。",
        "max_value": f"年度不能晚于 {YEAR_MAX} 年。",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)


class YearFilter(django_filters.NumberFilter):
    """A calendar year between YEAR_MIN and YEAR_MAX (``?year=0`` or ``?year=99999999999`` are 400s)."""

    field_class = YearField


class DateTimeField(forms.DateTimeField):
    """An ISO date-time whose UTC offset PostgreSQL accepts (±15:59) and which stays a valid date in UTC."""

    default_error_messages = {"invalid": "请输入有效的日期时间，例如 2023-01-01T08:00:00+08:00。"}

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
            try:
                parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None
            except ValueError:
                parsed = None
            if parsed is not None:
                value = parsed
        if isinstance(value, dt.datetime) and not YEAR_MIN - 100 <= value.year <= YEAR_MAX + 100:
            raise forms.ValidationError("日期时间超出范围。", code="invalid")
        value = super().to_python(value)
        if value is None:
            return value
        offset = value.utcoffset()
        if offset is not None and abs(offset) > dt.timedelta(hours=14):
            raise forms.ValidationError("时区偏移超出范围（应在 -14:00 到 +14:00 之间）。", code="invalid")
        try:
            value.astimezone(dt.UTC) if offset is not None else value.replace(tzinfo=dt.UTC)
        except OverflowError as exc:
            raise forms.ValidationError("日期时间超出范围。", code="invalid") from exc
        return value


class DateTimeFilter(django_filters.DateTimeFilter):
    field_class = DateTimeField


# --- the filter bar as the user reads it -------------------------------------------------------------------
ANY = "全部"  # an empty choice
ANY_YES_NO = "不限"  # a yes/no filter left open
DJANGO_EMPTY = "---------"


def humanize_filter_form(form, user=None) -> None:
    """One wording for every filter bar, and only the regions a user may pick.

    "全部" for every empty choice (never "---------"), "不限/是/否" for yes/no (never "未知"); a region list holds the
    city's counties only, and a county's staff see just their own county. Applied when the web list draws its
    filter bar (after validation), so the API's parameters stay as they are.
    """
    from accounts.models import Region

    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", ANY_YES_NO), ("true", "是"), ("false", "否")]
            continue
        if getattr(field, "empty_label", None) == DJANGO_EMPTY:  # model choices and django-filter's choices
            field.empty_label = ANY
            if not isinstance(field, forms.ModelChoiceField):
                field.widget.choices = field.choices  # the widget's copy still points at the unlabelled field
        if isinstance(field, forms.ModelChoiceField):
            if field.queryset.model is Region:
                counties = field.queryset.filter(level=Region.Level.COUNTY)
                if user is not None and getattr(user, "is_county_staff", False):
                    counties = counties.filter(pk=user.region_id)
                field.queryset = counties
        elif isinstance(field, forms.ChoiceField) and not hasattr(field, "empty_label"):
            field.choices = [
                (v, ANY if v in ("", None) and label == DJANGO_EMPTY else label) for v, label in field.choices
            ]
