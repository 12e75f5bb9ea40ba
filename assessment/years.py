"""Year rollover: the city admin starts a new assessment year from the previous one.

A year is *set up* when it has a rubric; from then on its months are open (a county can create its
submission for any month that has started). ``start_year`` copies the latest rubric version of the
source year as version 1 of the new year (editable until a submission uses it) and the source year's
targets per county (without the city's recorded year-end score). Every check raises a Chinese
``ValidationError`` and changes nothing; every change leaves an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import roles
from accounts.models import Region
from assessment.models import AnnualTarget, AuditEntry, Rubric, RubricGroup, RubricItem, Submission
from assessment.services import audit, recalculate_open
from core.decimals import fmt, parse_decimal

RUBRIC_TOTAL = Decimal(100)
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


@dataclass
class GroupCheck:
    name: str
    max_points: Decimal
    items_total: Decimal

    @property
    def ok(self) -> bool:
        return self.items_total == self.max_points


def rubric_checks(rubric: Rubric) -> tuple[list[GroupCheck], Decimal, list[str]]:
    """(per group: its maximum and the sum of its items' maxima, the sum of the group maxima, problems)."""
    groups = []
    for group in rubric.groups.prefetch_related("items").order_by("order"):
        items_total = sum((i.max_points for i in group.items.all()), Decimal(0))
        groups.append(GroupCheck(f"{group.category}/{group.name}", group.max_points, items_total))
    total = sum((g.max_points for g in groups), Decimal(0))
    problems = [
        f"“{g.name}”各项满分合计{fmt(g.items_total)}分，与分组分值{fmt(g.max_points)}分不一致。"
        for g in groups
        if not g.ok
    ]
    if total != RUBRIC_TOTAL:
        problems.insert(0, f"各分组分值合计{fmt(total)}分，应为100分。")
    return groups, total, problems


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
    """Change group and item maxima of a rubric that no submission uses yet (group pk / item code → value).

    All values are checked first (numbers, not negative, each group's items add up to the group's maximum,
    the groups add up to 100); on any error nothing is changed."""
    roles.require_city_admin(user, "修改考评赋分表")
    rubric = Rubric.objects.select_for_update().get(pk=rubric.pk)
    if rubric_in_use(rubric):
        raise ValidationError(f"{rubric}已被月度考评使用，不能在此修改；请在赋分表页面修订（将生成新版本）。")
    errors: dict[str, list[str]] = {}
    group_rows = {str(g.pk): g for g in rubric.groups.all()}
    item_rows = {i.code: i for i in rubric.items.all()}
    new_group_max, new_item_max = {}, {}
    for key, raw in (groups or {}).items():
        group = group_rows.get(str(key))
        if group is None:
            continue
        value = _points(raw, f"“{group.name}”分值", errors, f"group_{group.pk}")
        if value is not None:
            new_group_max[group.pk] = value
    for code, raw in (items or {}).items():
        item = item_rows.get(code)
        if item is None:
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
            problems.append(
                f"“{group.category}/{group.name}”各项满分合计{fmt(totals.get(group.pk, Decimal(0)))}分，"
                f"与分组分值{fmt(maximum)}分不一致。"
            )
    total = sum((new_group_max.get(g.pk, g.max_points) for g in group_rows.values()), Decimal(0))
    if total != RUBRIC_TOTAL:
        problems.insert(0, f"各分组分值合计{fmt(total)}分，应为100分。")
    if problems:
        raise ValidationError({"__all__": problems})
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
                year=rubric.year,
            )
            group.max_points = value
            group.save(update_fields=["max_points"])
    for item in item_rows.values():
        value = new_item_max.get(item.code)
        if value is not None and value != item.max_points:
            audit(
                None, user, AuditEntry.Kind.RUBRIC, f"{item.code} 满分", item.max_points, value, note, year=rubric.year
            )
            item.max_points = value
            item.save(update_fields=["max_points"])
    return rubric


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
        cleaned[county.pk] = data
    if errors:
        raise ValidationError(errors)
    changed = 0
    for county_pk, data in cleaned.items():
        target = AnnualTarget.objects.filter(county_id=county_pk, year=year).first()
        old = {f: getattr(target, f) for f in TARGET_FIELDS} if target else {}
        if target is not None and all(old[f] == data[f] for f in TARGET_FIELDS):
            continue
        AnnualTarget.objects.update_or_create(county_id=county_pk, year=year, defaults=data)
        county = counties[str(county_pk)]
        for field in TARGET_FIELDS:
            if old.get(field) != data[field]:
                label = str(AnnualTarget._meta.get_field(field).verbose_name)
                audit(
                    None, user, AuditEntry.Kind.FIGURE, f"{year}年目标 {label}", old.get(field), data[field],
                    county=county, year=year,
                )  # fmt: skip
        recalculate_open(county_pk, year, user, "年度目标任务变更")
        changed += 1
    return changed
