"""OpenAPI: operations grouped by area (项目, 评价, 奖励, 考评, 报表, 监督, 信用, 组织) with a Chinese summary each.

A summary given with ``@extend_schema(summary=…)`` wins; otherwise it is made from the action and the model's
verbose name ("项目列表", "新建奖励记录"), or the first line of a custom action's Chinese docstring.
"""

from __future__ import annotations

import re

from drf_spectacular.openapi import AutoSchema as BaseAutoSchema

from config.apps import PROJECT_APPS

AREAS = PROJECT_APPS  # app -> area: config/apps.py
ACTIONS = {
    "list": "{plural}列表",
    "retrieve": "{name}详情",
    "create": "新建{name}",
    "update": "修改{name}",
    "partial_update": "部分修改{name}",
    "destroy": "删除{name}",
}
HAS_CHINESE = re.compile(r"[\u4e00-\u9fff]")


class AutoSchema(BaseAutoSchema):
    def get_tags(self) -> list[str]:
        app = type(self.view).__module__.split(".", 1)[0]
        return [AREAS.get(app, "组织")]

    def _model(self):  # the viewset's model (``schema_name`` on a viewset names it when the model's name is shared)
        queryset = getattr(self.view, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer = getattr(self.view, "serializer_class", None)
        meta = getattr(serializer, "Meta", None)
        return getattr(meta, "model", None)

    def get_summary(self) -> str | None:
        summary = super().get_summary()
        if summary:
            return summary
        action = getattr(self.view, "action", None)
        model = self._model()
        name = getattr(self.view, "schema_name", None) or (model._meta.verbose_name if model is not None else None)
        if action in ACTIONS and name:
            return ACTIONS[action].format(name=name, plural=name)
        doc = None
        if action:
            doc = getattr(getattr(self.view, action, None), "__doc__", None)
        doc = doc or type(self.view).__doc__ or ""
        first = doc.strip().splitlines()[0].strip() if doc.strip() else ""
        if first and HAS_CHINESE.search(first):
            return first.rstrip("。.")[:80]
        return f"{name}：{action or self.method.lower()}" if name else None


EXPORT_SUMMARY = "导出 Excel（与列表相同的筛选条件，全部行）"  # the base viewset's export (core.api.viewsets)


def name_exports(result, generator, request, public):
    """Postprocessing hook: "导出 Excel" says what it exports, after the list beside it ("导出项目（Excel…）").
    An export with a summary of its own (``@extend_schema(summary=…)``, e.g. an exchange feed) keeps it."""
    for path, operations in result.get("paths", {}).items():
        if not path.endswith("/export/") or "get" not in operations:
            continue
        if operations["get"].get("summary") != EXPORT_SUMMARY:
            continue
        listing = result["paths"].get(path[: -len("export/")], {}).get("get", {}).get("summary", "")
        if listing.endswith("列表"):
            operations["get"]["summary"] = f"导出{listing[:-2]}（Excel，与列表相同的筛选条件，全部行）"
    return result
