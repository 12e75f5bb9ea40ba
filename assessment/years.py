"""Year rollover: the city admin starts a new assessment year from the previous one.

A year is *set up* when it has a rubric; from then on its months are open (a county can create its
submission for any month that has started). ``start_year`` copies the latest rubric version of the
source year as version 1 of the new year (editable until a submission uses it) and the source year's
targets per county (without the city's recorded year-end score). Every check raises a Chinese
``ValidationError`` and changes nothing; every change leaves an audit entry.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import roles
from accounts.models import Region
from assessment.models import AnnualTarget, AuditEntry, Rubric, RubricGroup, RubricItem, Submission
from assessment.services import (
    RUBRIC_TOTAL,
    audit,
    group_problem,
    recalculate_open,
    rescore_open_months,
    rubric_checks,
    total_problem,
    version_to_change,
)
from core.decimals import parse_decimal

TARGET_FIELDS = (
    "retrofit_residential_area",
    "retrofit_public_area",
    "prefab_ratio",
    "green_ratio",
    "innovation_projects",
    "sci_tech_registrations",
)
DECIMAL_TARGETS = ("retrofit_residential_area", "retrofit_public_area", "prefab_ratio", "green_ratio")
PERCENT_TARGETS = ("prefab_ratio", "green_ratio")


def is_set_up(year: int) -> bool:
    """A year is set up (its months are open) once it has a rubric."""
    return Rubric.objects.filter(year=year).exists()


def not_set_up_message(year: int) -> str:
    return f"{year}年尚未设定考评赋分表"


def source_year_for(year: int) -> int | None:
    """The year a new year is copied from: the latest earlier year with a rubric (else the latest one at all)."""
    earlier = Rubric.objects.filter(year__lt=year).order_by("-year").values_list("year", flat=True).first()
    if earlier is not None:
        return earlier
    return Rubric.objects.order_by("-year").values_list("year", flat=True).first()


def rubric_in_use(rubric: Rubric) -> bool:
    return rubric.is_frozen or Submission.objects.filter(rubric=rubric).exists()


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写年度（如2027）。"})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度应在2000至2100之间。"})
    return year


def _copy_rubric(source: Rubric, year: int, note: str) -> Rubric:
    new = Rubric.objects.create(year=year, version=1, title=source.title, based_on=source, change_note=note)
    groups = {}
    for group in source.groups.order_by("order"):
        groups[group.pk] = RubricGroup.objects.create(
            rubric=new, category=group.category, name=group.name, max_points=group.max_points, order=group.order
        )
    RubricItem.objects.bulk_create(
        RubricItem(
            rubric=new,
            group=groups[item.group_id],
            code=item.code,
            content=item.content,
            standard=item.standard,
            max_points=item.max_points,
            kind=item.kind,
            params=item.params,
            zero_target_policy=item.zero_target_policy,
            requires_evidence=item.requires_evidence,
            order=item.order,
        )
        for item in source.items.all()
    )
    return new


@transaction.atomic
def start_year(year, *, user, source_year=None, note: str = "") -> Rubric:
    """Set up ``year`` from ``source_year`` (default: the latest earlier year): rubric and targets.

    The rubric becomes version 1 of the new year; targets are copied for every county of the source year
    that has none in the new year yet (the recorded year-end score is not copied)."""
    roles.require_city_admin(user, "设定新年度的考评赋分表和目标任务")
    year = _check_year(year)
    if is_set_up(year):
        raise ValidationError({"year": f"{year}年已设定考评赋分表，请在本页修改。"})
    source_year = _check_year(source_year) if source_year not in (None, "") else source_year_for(year)
    source = Rubric.objects.current(source_year) if source_year is not None else None
    if source is None:
        raise ValidationError({"source_year": f"{source_year or ''}年没有可复制的考评赋分表。".lstrip("年")})
    problems = rubric_checks(source)[2]
    if problems:
        raise ValidationError({"source_year": [f"{source_year}年赋分表有误，不能复制：", *problems]})
    copy_note = f"由{source_year}年第{source.version}版复制" + (f"；{note.strip()}" if (note or "").strip() else "")
    rubric = _copy_rubric(source, year, copy_note)
    have = set(AnnualTarget.objects.filter(year=year).values_list("county_id", flat=True))
    copied = 0
    for target in AnnualTarget.objects.filter(year=source_year).exclude(county_id__in=have):
        AnnualTarget.objects.create(
            county_id=target.county_id,
            year=year,
            **{field: getattr(target, field) for field in TARGET_FIELDS},
        )
        copied += 1
    audit(None, user, AuditEntry.Kind.RUBRIC, f"{year}年赋分表", "", f"第{rubric.version}版", copy_note, year=year)
    audit(
        None,
        user,
        AuditEntry.Kind.FIGURE,
        f"{year}年目标任务",
        "",
        f"{copied}个县（市、区）",
        f"由{source_year}年目标任务复制",
        year=year,
    )
    return rubric


@transaction.atomic
def update_rubric_maxima(rubric: Rubric, *, user, groups: dict, items: dict, note: str = "") -> Rubric:
    """Change group and item maxima of the year's newest rubric version (group pk / item code → value);
    returns the version changed.

    All values are checked first (numbers, 0–100, each group's items add up to the group's maximum, the groups
    add up to 100); on any error nothing is changed. A version used by a published month is not changed: the
    next version takes the new maxima and open months move onto it only through
    ``services.adopt_rubric_version``. An unfrozen version is changed in place and its open months re-scored."""
    roles.require_city_admin(user, "修改考评赋分表")
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    errors: dict[str, list[str]] = {}
    group_rows = {str(g.pk): g for g in rubric.groups.order_by("order", "pk")}
    item_rows = {i.code: i for i in rubric.items.all()}
    new_group_max, new_item_max = {}, {}
    for key, raw in (groups or {}).items():
        group = group_rows.get(str(key))
        if group is None:
            errors.setdefault(f"group_{key}", []).append(f"{rubric}没有编号为{key}的分组。")
            continue
        value = _points(raw, f"“{group.name}”分值", errors, f"group_{group.pk}")
        if value is not None:
            new_group_max[group.pk] = value
    for code, raw in (items or {}).items():
        item = item_rows.get(code)
        if item is None:
            errors.setdefault(f"item_{code}", []).append(f"{rubric}没有考评项{code}。")
            continue
        value = _points(raw, f"{code}满分", errors, f"item_{code}")
        if value is not None:
            new_item_max[code] = value
    if errors:
        raise ValidationError(errors)
    totals: dict[int, Decimal] = {}
    for item in item_rows.values():
        totals[item.group_id] = totals.get(item.group_id, Decimal(0)) + new_item_max.get(item.code, item.max_points)
    problems = []
    for group in group_rows.values():
        maximum = new_group_max.get(group.pk, group.max_points)
        if totals.get(group.pk, Decimal(0)) != maximum:
            problems.append(group_problem(f"{group.category}/{group.name}", totals.get(group.pk, Decimal(0)), maximum))
    total = sum((new_group_max.get(g.pk, g.max_points) for g in group_rows.values()), Decimal(0))
    if total != RUBRIC_TOTAL:
        problems.insert(0, total_problem(total))
    if problems:
        raise ValidationError({"__all__": problems})
    changes = any(new_group_max.get(g.pk, g.max_points) != g.max_points for g in group_rows.values()) or any(
        new_item_max.get(i.code, i.max_points) != i.max_points for i in item_rows.values()
    )
    if not changes:
        return rubric
    target = version_to_change(rubric, user=user, note=note or "修改分值")
    if target.pk != rubric.pk:  # the next version: its groups are copies in the same order
        new_groups = dict(zip(group_rows.values(), target.groups.order_by("order", "pk"), strict=True))
        new_group_max = {new_groups[group_rows[str(pk)]].pk: v for pk, v in new_group_max.items()}
        group_rows = {str(g.pk): g for g in new_groups.values()}
        item_rows = {i.code: i for i in target.items.all()}
    for group in group_rows.values():
        value = new_group_max.get(group.pk)
        if value is not None and value != group.max_points:
            audit(
                None,
                user,
                AuditEntry.Kind.RUBRIC,
                f"{group.name} 分值",
                group.max_points,
                value,
                note,
                year=target.year,
            )
            group.max_points = value
            group.save(update_fields=["max_points"])
    for item in item_rows.values():
        value = new_item_max.get(item.code)
        if value is not None and value != item.max_points:
            audit(
                None, user, AuditEntry.Kind.RUBRIC, f"{item.code} 满分", item.max_points, value, note, year=target.year
            )
            item.max_points = value
            item.save(update_fields=["max_points"])
    if problems := rubric_checks(target)[2]:  # the invariant, whatever the path
        raise ValidationError({"__all__": problems})
    if target.pk == rubric.pk:
        rescore_open_months(target, user=user, reason="赋分表分值修改")
    return target


def _points(raw, label: str, errors: dict, key: str) -> Decimal | None:
    try:
        value = parse_decimal(raw, places=2, minimum=0)
    except ValueError:
        value = None
    if value is None or value > RUBRIC_TOTAL:
        errors.setdefault(key, []).append(f"{label}应为0至100之间的数字（最多两位小数）。")
        return None
    return value


@transaction.atomic
def save_targets(year, *, user, rows: dict) -> int:
    """Create or change the year's targets per county (county pk → {field: raw value}); returns how many changed.

    Every row is checked before anything is written; unlocked submissions of a changed county are re-scored."""
    roles.require_city_admin(user, "设定年度目标任务")
    year = _check_year(year)
    if not is_set_up(year):
        raise ValidationError({"year": f"{not_set_up_message(year)}，请先设定新年度。"})
    counties = {str(c.pk): c for c in Region.objects.filter(level=Region.Level.COUNTY)}
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, dict] = {}
    for key, values in (rows or {}).items():
        county = counties.get(str(key))
        if county is None:
            raise ValidationError({"county": "未知的县（市、区）。"})
        data = {}
        for field in TARGET_FIELDS:
            raw = (values or {}).get(field, "")
            label = str(AnnualTarget._meta.get_field(field).verbose_name)
            prefix = f"{county.name}：{label}"
            if field == "prefab_ratio" and str(raw).strip() == "":
                data[field] = None
                continue
            if field in DECIMAL_TARGETS:
                try:
                    value = parse_decimal(raw, places=2, minimum=0)
                except ValueError:
                    value = None
                ceiling = Decimal(100) if field in PERCENT_TARGETS else Decimal("99999999")
                if value is None or value > ceiling:
                    bound = "0至100之间" if field in PERCENT_TARGETS else "不小于0"
                    errors.setdefault(f"{county.pk}_{field}", []).append(f"{prefix}应为{bound}的数字（最多两位小数）。")
                    continue
                data[field] = value
            else:
                text = str(raw).strip()
                if not text.isdigit() or int(text) > 1000:
                    errors.setdefault(f"{county.pk}_{field}", []).append(f"{prefix}应为0至1000之间的整数。")
                    continue
                data[field] = int(text)
        if "final_target_score" in (values or {}):  # the city's recorded year-end score (API only; blank = none)
            raw = values["final_target_score"]
            if raw is None or str(raw).strip() == "":
                data["final_target_score"] = None
            else:
                try:
                    value = parse_decimal(raw, places=2, minimum=0)
                except ValueError:
                    value = None
                if value is None or value > Decimal(100):
                    errors.setdefault(f"{county.pk}_final_target_score", []).append(
                        f"{county.name}：全年目标任务得分应为0至100之间的数字（最多两位小数）。"
                    )
                    continue
                data["final_target_score"] = value
        cleaned[county.pk] = data
    if errors:
        raise ValidationError(errors)
    changed = 0
    for county_pk, data in cleaned.items():
        target = AnnualTarget.objects.filter(county_id=county_pk, year=year).first()
        fields = [f for f in (*TARGET_FIELDS, "final_target_score") if f in data]
        old = {f: getattr(target, f) for f in fields} if target else {}
        if target is not None and all(old[f] == data[f] for f in fields):
            continue
        AnnualTarget.objects.update_or_create(county_id=county_pk, year=year, defaults=data)
        county = counties[str(county_pk)]
        for field in fields:
            if old.get(field) != data[field]:
                label = str(AnnualTarget._meta.get_field(field).verbose_name)
                audit(
                    None, user, AuditEntry.Kind.FIGURE, f"{year}年目标 {label}", old.get(field), data[field],
                    county=county, year=year,
                )  # fmt: skip
        recalculate_open(county_pk, year, user, "年度目标任务变更")
        changed += 1
    return changed
