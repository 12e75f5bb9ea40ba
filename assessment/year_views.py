"""Web UI of the year rollover (城市管理员): start a year from the previous one, check and adjust its rubric
maxima while no month uses it, and edit the targets per county. Thin views over assessment.years."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from accounts import roles
from accounts.models import Region
from assessment import services, years
from assessment.models import AnnualTarget, Rubric
from core.views import RoleRequiredMixin


def year_setup_url(year: int) -> str:
    return f"{reverse('assessment:years')}?year={year}"


def _year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year")
    try:
        year = int(raw) if raw else timezone.localdate().year
    except ValueError:
        year = timezone.localdate().year
    return max(2000, min(2100, year))


def not_set_up_context(request, year: int) -> dict:
    """What a page shows instead of tables of zeros for a year that has no rubric yet."""
    return {
        "year": year,
        "not_set_up": True,
        "not_set_up_message": years.not_set_up_message(year),
        "setup_url": year_setup_url(year) if request.user.is_city_admin else "",
    }


class YearSetupView(RoleRequiredMixin, View):
    allowed_roles = roles.CITY_ADMINS
    template_name = "assessment/year_setup.html"

    def context(self, request, year: int, *, errors=None, posted=None) -> dict:
        rubric = Rubric.objects.current(year)
        counties = list(Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "name"))
        targets = {t.county_id: t for t in AnnualTarget.objects.filter(year=year)}
        posted = posted or {}
        rows = []
        for county in counties:
            target = targets.get(county.pk)
            cells = []
            for field in years.TARGET_FIELDS:
                name = f"t-{county.pk}-{field}"
                if name in posted:
                    value = posted[name]
                elif target is not None:
                    value = getattr(target, field)
                    value = (
                        "" if value is None else (f"{value.normalize():f}" if hasattr(value, "normalize") else value)
                    )
                else:
                    value = ""
                key = f"{county.pk}_{field}"
                cells.append({"name": name, "value": value, "field": field, "errors": (errors or {}).get(key, [])})
            rows.append({"county": county, "cells": cells, "has_target": target is not None})
        ctx = {
            "year": year,
            "rubric": rubric,
            "set_up": rubric is not None,
            "rows": rows,
            "target_labels": [
                str(AnnualTarget._meta.get_field(f).verbose_name).replace("（", "<br>（") for f in years.TARGET_FIELDS
            ],
            "errors": errors or {},
            "source_years": list(Rubric.objects.order_by("-year").values_list("year", flat=True).distinct()),
            "default_source": years.source_year_for(year),
            "set_up_years": sorted(set(Rubric.objects.values_list("year", flat=True))),
        }
        if rubric is not None:
            groups, total, problems = years.rubric_checks(rubric)
            ctx.update(
                checks=groups,
                total=total,
                problems=problems,
                in_use=years.rubric_in_use(rubric),
                on_older_versions=services.open_months_on_older_versions(rubric),
                groups=rubric.groups.prefetch_related("items").order_by("order"),
                posted=posted,
            )
        return ctx

    def get(self, request):
        year = _year(request)
        return render(request, self.template_name, self.context(request, year))

    def post(self, request):
        year = _year(request)
        action = request.POST.get("action")
        try:
            if action == "start":
                rubric = years.start_year(
                    year,
                    user=request.user,
                    source_year=request.POST.get("source_year"),
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request,
                    f"已设定{year}年度：赋分表第{rubric.version}版（{rubric.change_note}）和各县目标任务，"
                    f"{year}年各月即可填报。请核对下方赋分表分值和目标任务。",
                )
            elif action == "rubric":
                rubric = Rubric.objects.current(year)
                if rubric is None:
                    raise ValidationError(f"{years.not_set_up_message(year)}。")
                groups = {k[len("group-") :]: v for k, v in request.POST.items() if k.startswith("group-")}
                items = {k[len("item-") :]: v for k, v in request.POST.items() if k.startswith("item-")}
                changed = years.update_rubric_maxima(
                    rubric, user=request.user, groups=groups, items=items, note=request.POST.get("note", "")
                )
                if changed.pk != rubric.pk:
                    messages.success(
                        request,
                        f"第{rubric.version}版已用于已发布的月份，分值保存为第{changed.version}版（各分组合计100分）；"
                        f"未锁定的月份仍按第{rubric.version}版计分，须“改用第{changed.version}版”后才按新版本计分。",
                    )
                else:
                    messages.success(request, f"{year}年赋分表分值已保存，各分组合计100分。")
            elif action == "adopt":
                rubric = Rubric.objects.current(year)
                if rubric is None:
                    raise ValidationError(f"{years.not_set_up_message(year)}。")
                moved = services.adopt_rubric_version(
                    year, rubric.version, user=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request, f"{len(moved)}个未锁定月份已改用第{rubric.version}版赋分表并重新计分（已逐月留痕）。"
                )
            elif action == "targets":
                rows: dict[str, dict] = {}
                for key, value in request.POST.items():
                    if key.startswith("t-"):
                        _, county_pk, field = key.split("-", 2)
                        rows.setdefault(county_pk, {})[field] = value
                changed = years.save_targets(year, user=request.user, rows=rows)
                messages.success(request, f"{year}年目标任务已保存（{changed}个县（市、区）有变动）。")
            else:
                messages.error(request, "未知的操作。")
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "message_dict") else {"__all__": exc.messages}
            general = [m for ms in errors.values() for m in ms]
            if action in ("targets", "rubric"):
                general = ["未保存，请改正以下问题：" + "；".join(m.rstrip("。") for m in general) + "。"]
            for message in general:
                messages.error(request, message)
            posted = {k: v for k, v in request.POST.items() if k.startswith(("t-", "group-", "item-"))}
            ctx = self.context(request, year, errors=errors, posted=posted)
            ctx["open_rubric"] = action == "rubric"
            return render(request, self.template_name, ctx, status=400)
        return redirect(year_setup_url(year))
