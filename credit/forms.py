"""Web forms of the 诚信档案: they check the input's shape; the rules live in credit.services and credit.scoring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.filters import EnterpriseFilter
from core import uploads
from core.forms import MultipleFileField
from credit import scoring, services
from credit.choices import EntryState, Grade, Polarity, Severity
from credit.services import MAX_APPEAL_FILES
from projects.choices import ConstraintKind

DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


# --- the managers' list of enterprises ------------------------------------------------------------------------
LIST_CHOICES = (("red", "红榜"), ("black", "黑名单"), ("watch", "重点监管名单"))


class CreditEnterpriseFilter(EnterpriseFilter):
    """The enterprise search (name or 统一社会信用代码, kind, region) plus the credit grade and the lists. An enterprise
    without a standing has the base score: its grade is the base grade (``base_grade``)."""

    grade = django_filters.ChoiceFilter(label="信用等级", choices=Grade.choices, method="filter_grade")
    listed = django_filters.ChoiceFilter(label="名单", choices=LIST_CHOICES, method="filter_listed")

    class Meta(EnterpriseFilter.Meta):
        fields = ["q", "kind", "region", "grade", "listed"]

    def __init__(self, *args, base_grade: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_grade = base_grade or services.base_standing().grade
        self.filters["q"].label = "单位名称或统一社会信用代码"

    def _grades(self, grades) -> Q:
        q = Q(credit_standing__grade__in=grades)
        if self.base_grade in grades:
            q |= Q(credit_standing__isnull=True)
        return q

    def filter_grade(self, queryset, name, value):
        return queryset.filter(self._grades([value]))

    def filter_listed(self, queryset, name, value):
        if value == "red":
            return queryset.filter(self._grades(["A"]), credit_standing__major_in_force=False)
        if value == "black":
            return queryset.filter(self._grades(["D"]) | Q(credit_standing__major_in_force=True))
        if value == "watch":
            return queryset.filter(self._grades(["C", "D"]))
        return queryset


# --- an enterprise's record -----------------------------------------------------------------------------------
class EntryFilterForm(forms.Form):
    polarity = forms.ChoiceField(label="性质", choices=[("", "全部行为"), *Polarity.choices], required=False)
    state = forms.ChoiceField(label="状态", choices=[("", "全部状态"), *EntryState.choices], required=False)


class StandingOnForm(forms.Form):
    """查询某日信用等级: the grade the record showed on a past day (a tender date)."""

    on = forms.DateField(label="查询日期", widget=DATE, help_text="例如招标文件规定的信用等级认定日（开标日）")

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day > timezone.localdate():
            raise forms.ValidationError("查询日期不能晚于今天。")
        if day < dt.date(2000, 1, 1):
            raise forms.ValidationError("查询日期不能早于2000年1月1日。")
        return day


# --- appeals --------------------------------------------------------------------------------------------------
class AppealForm(forms.Form):
    reasons = forms.CharField(
        label="申诉理由",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="请说明该记录有误或应予撤销的事实和依据（不超过2000字）。",
        error_messages={"required": "请填写申诉理由。", "max_length": "申诉理由不能超过2000字。"},
    )
    documents = MultipleFileField(
        label="证明材料",
        required=False,
        help_text=f"可选，最多{MAX_APPEAL_FILES}个，{uploads.help_text(settings.UPLOAD_MAX_BYTES)}，可多选。",
    )

    def clean_documents(self):
        files = self.cleaned_data["documents"]
        if len(files) > MAX_APPEAL_FILES:
            raise forms.ValidationError(f"证明材料最多{MAX_APPEAL_FILES}个。")
        return files


class DecisionForm(forms.Form):
    """The county's decision: the button pressed (撤销该记录 / 维持该记录) and the reasons the enterprise reads."""

    decision = forms.ChoiceField(
        label="处理决定",
        choices=(("withdraw", "撤销该记录"), ("keep", "维持该记录")),
        error_messages={"required": "请选择处理决定。", "invalid_choice": "请选择处理决定。"},
    )
    reason = forms.CharField(
        label="处理理由",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="申诉单位可见（不超过500字）。",
        error_messages={"required": "请填写处理理由。", "max_length": "处理理由不能超过500字。"},
    )


# --- the rule -------------------------------------------------------------------------------------------------
SEVERITY_CHOICES = [*Severity.choices, ("", "不计入信用记录")]


def _points_text(value: Decimal) -> str:
    """A rule's number as the stored data writes it: 3, -2, 2.5 (so an unchanged rule compares equal)."""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _signed(value: str) -> str:
    number = Decimal(str(value))
    return f"+{_points_text(number)}" if number > 0 else _points_text(number)


def rule_rows(data: dict) -> list[tuple[str, str, str]]:
    """The rule's content as the pages show it: (key, item, value) rows in a fixed order, for the version page
    and its comparison with the previous version."""
    rows = [("base", "基础分", _points_text(Decimal(str(data["base"]))))]
    for grade in ("A", "B", "C"):
        rows.append((f"grade.{grade}", f"{grade}级分数线", f"≥ {_points_text(Decimal(str(data['grades'][grade])))}"))
    rows.append(("grade.D", "D级", f"低于 {_points_text(Decimal(str(data['grades']['C'])))}"))
    for code in (*scoring.GOOD, *scoring.BAD):
        item = data["behaviours"].get(code) or {}
        label = scoring.BEHAVIOUR_LABELS[code]
        points = item.get("points")
        rows.append(
            (f"{code}.points", f"{label} · 分值", "按奖项目录积分" if points == scoring.CATALOGUE else _signed(points))
        )
        rows.append((f"{code}.months", f"{label} · 有效期", f"{item.get('months')}个月"))
    severities = dict(SEVERITY_CHOICES)
    chosen = data.get("constraint_severity") or {}
    for kind, label in ConstraintKind.choices:
        rows.append((f"constraint.{kind}", f"约束记录：{label}", severities.get(chosen.get(kind) or "", "—")))
    rows.append(("expelled", "清退出场", severities.get(data.get("expelled_severity") or "major", "—")))
    return rows


def rule_sections(data: dict) -> dict:
    """The same content laid out as the pages' three tables: thresholds, behaviours (points and validity side by
    side), constraint kinds."""
    rows = {key: (label, value) for key, label, value in rule_rows(data)}
    return {
        "scale": [rows[key] for key in ("base", "grade.A", "grade.B", "grade.C", "grade.D")],
        "behaviours": [
            {
                "label": scoring.BEHAVIOUR_LABELS[code],
                "good": code in scoring.GOOD,
                "points": rows[f"{code}.points"][1],
                "months": rows[f"{code}.months"][1],
            }
            for code in (*scoring.GOOD, *scoring.BAD)
        ],
        "constraints": [(label, rows[f"constraint.{kind}"][1]) for kind, label in ConstraintKind.choices]
        + [("清退出场（不论类别）", rows["expelled"][1])],
    }


def rule_diff(data: dict, previous: dict | None) -> list[tuple[str, str, str]]:
    """(item, before, after) for every row that differs from the previous version."""
    if previous is None:
        return []
    before = {key: value for key, _, value in rule_rows(previous)}
    return [(label, before.get(key, "—"), value) for key, label, value in rule_rows(data) if before.get(key) != value]


def _decimal_field(label: str, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=7,
        decimal_places=2,
        error_messages={"required": f"请填写{label}。", "invalid": f"{label}应为数字。"},
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        **kwargs,
    )


class RuleForm(forms.Form):
    """修订规则: every number and choice of the rule's data; the ranges and the order of the grades are checked by
    ``scoring.validate`` through ``services.adopt_rule`` (its Chinese messages shown above the form)."""

    base = _decimal_field("基础分")
    grade_a = _decimal_field("A级分数线")
    grade_b = _decimal_field("B级分数线")
    grade_c = _decimal_field("C级分数线")
    expelled_severity = forms.ChoiceField(label="清退出场的严重程度", choices=Severity.choices)
    effective_from = forms.DateField(
        label="生效日期",
        widget=DATE,
        help_text="自该日起新记录按新规则计分，已有记录按新规则重新核算；已计算的历史信用分不变。",
        error_messages={"required": "请填写生效日期。", "invalid": "请输入有效的日期。"},
    )
    note = forms.CharField(
        label="修订说明",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="修订依据和内容（如会议纪要、文件文号），随版本保存备查。",
        error_messages={"required": "请填写修订说明。", "max_length": "修订说明不能超过2000字。"},
    )

    def __init__(self, *args, rule_data: dict, **kwargs):
        initial = kwargs.pop("initial", None) or {}
        initial = {**self.initial_from(rule_data), **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.behaviour_rows = []
        for code in (*scoring.GOOD, *scoring.BAD):
            label = scoring.BEHAVIOUR_LABELS[code]
            good = code in scoring.GOOD
            points = None
            if code != "award":
                self.fields[f"points_{code}"] = _decimal_field(f"“{label}”的分值")
                points = f"points_{code}"
            self.fields[f"months_{code}"] = forms.IntegerField(
                label=f"“{label}”的有效期（月）",
                error_messages={
                    "required": f"请填写“{label}”的有效期。",
                    "invalid": f"“{label}”的有效期应为整数（月）。",
                },
            )
            self.behaviour_rows.append({"code": code, "label": label, "good": good, "points": points})
        self.constraint_rows = []
        for kind, label in ConstraintKind.choices:
            name = f"severity_{kind}"
            self.fields[name] = forms.ChoiceField(label=f"约束记录：{label}", choices=SEVERITY_CHOICES, required=False)
            self.constraint_rows.append((label, name))

    @staticmethod
    def initial_from(data: dict) -> dict:
        initial = {
            "base": Decimal(str(data["base"])),
            "grade_a": Decimal(str(data["grades"]["A"])),
            "grade_b": Decimal(str(data["grades"]["B"])),
            "grade_c": Decimal(str(data["grades"]["C"])),
            "expelled_severity": data.get("expelled_severity") or "major",
            "effective_from": timezone.localdate(),
        }
        for code, item in data["behaviours"].items():
            if item["points"] != scoring.CATALOGUE:
                initial[f"points_{code}"] = Decimal(str(item["points"]))
            initial[f"months_{code}"] = item["months"]
        for kind, severity in (data.get("constraint_severity") or {}).items():
            initial[f"severity_{kind}"] = severity or ""
        return initial

    # the bound fields the template lays out as tables
    def behaviour_fields(self):
        for row in self.behaviour_rows:
            yield {
                **row,
                "points_field": self[row["points"]] if row["points"] else None,
                "months_field": self[f"months_{row['code']}"],
            }

    def constraint_fields(self):
        return [(label, self[name]) for label, name in self.constraint_rows]

    def rule_data(self) -> dict:
        """The cleaned values as the rule's stored data (``CreditRule.data``)."""
        d = self.cleaned_data
        behaviours = {}
        for code in (*scoring.GOOD, *scoring.BAD):
            points = scoring.CATALOGUE if code == "award" else _points_text(d[f"points_{code}"])
            behaviours[code] = {"points": points, "months": d[f"months_{code}"]}
        return {
            "base": _points_text(d["base"]),
            "grades": {
                "A": _points_text(d["grade_a"]),
                "B": _points_text(d["grade_b"]),
                "C": _points_text(d["grade_c"]),
            },
            "behaviours": behaviours,
            "constraint_severity": {kind: d.get(f"severity_{kind}") or None for kind, _ in ConstraintKind.choices},
            "expelled_severity": d["expelled_severity"],
        }
