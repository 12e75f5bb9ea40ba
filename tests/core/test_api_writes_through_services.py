"""No API write skips its service (issue 28, part 2): every write of the REST API goes through a function of an
app's ``services`` module (or ``assessment.years``), the one the web page calls, with its checks, audit and
Chinese errors.

Two checks, both on the classes and source the URLconf really serves:

1. Every viewset route that creates, updates or deletes (``create``, ``update``, ``partial_update``,
   ``destroy``) is followed down DRF's chain — the action, then ``perform_*``, then the serializer's
   ``create``/``update`` — to the first method the project defines. If DRF's own code would do the write
   (``ModelSerializer.create``/``update``, ``instance.delete()``), that is a violation; otherwise the project's
   method must call a service function (directly, or through a helper of the same class or module).
   Every other action a viewset or APIView serves by POST/PUT/PATCH/DELETE must reach a service likewise.
2. No module under ``<app>/api/`` writes a model itself: no ``.save()``, ``.delete()``, ``objects.create()``,
   ``bulk_create``, ``get_or_create``, ``update_or_create`` or queryset ``.update()``.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
import types
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.views import APIView

ROOT = Path(__file__).resolve().parents[2]
# Modules whose functions are the write rules ("services"): every app's services.py, plus the year set-up rules,
# the monthly-report import (writes through projects.services), sign-in/token issuing (accounts.security) and the
# inspections app's writes split by subject (rectification: a notice's answer, review, penalty; a1: the override).
SERVICE_MODULES = (
    "assessment.years",
    "projects.imports",
    "accounts.security",
    "inspections.rectification",
    "inspections.a1",
)
WRITE_ACTIONS = {"create", "update", "partial_update", "destroy"}
DRF_CHAIN = {
    "create": ("perform_create", "create"),
    "update": ("perform_update", "update"),
    "partial_update": ("perform_update", "update"),
    "destroy": ("perform_destroy", None),
}
WRITE_METHODS = {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}


def _is_service_module(name: str) -> bool:
    return name.endswith(".services") or name in SERVICE_MODULES or ".services." in name


def _from_drf(func) -> bool:
    return (getattr(func, "__module__", "") or "").startswith("rest_framework")


def _routes():
    """(view class, {http method: action name} or None for an APIView) for every route of the URLconf."""
    found, seen = [], set()

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns)
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None) or getattr(p.callback, "view_class", None)
                if not (isinstance(cls, type) and issubclass(cls, APIView)):
                    continue
                if cls.__module__.split(".")[0] not in _project_apps():
                    continue
                actions = getattr(p.callback, "actions", None)
                key = (cls, tuple(sorted((actions or {}).items())))
                if key not in seen:
                    seen.add(key)
                    found.append((cls, actions))

    walk(get_resolver().url_patterns)
    return found


def _project_apps() -> set[str]:
    return {p.parent.name for p in ROOT.glob("*/apps.py")}


def _function_of(owner, name):
    """The plain function ``owner.name`` (a class attribute or a module global), unwrapped."""
    value = inspect.getattr_static(owner, name, None) if isinstance(owner, type) else getattr(owner, name, None)
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    return inspect.unwrap(value) if isinstance(value, types.FunctionType) else None


def _only_refuses(tree: ast.Module) -> bool:
    """A method whose whole body is ``raise …`` (after a docstring) writes nothing: it refuses."""
    body = tree.body[0].body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Raise)


def reaches_service(func, cls=None, depth: int = 4) -> bool:
    """Does ``func`` call a service function, itself or through a helper (``self.x()``, a module function)?
    A method that only raises (refuses the write) passes too."""
    if func is None or depth < 0 or _from_drf(func):
        return False
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    if _only_refuses(tree):
        return True
    module = inspect.getmodule(func)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = node.func
        if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
            base = target.value.id
            if base in ("self", "cls") and cls is not None:
                helper = _function_of(_owner_of(cls, target.attr), target.attr)
                if reaches_service(helper, cls, depth - 1):
                    return True
                continue
            value = func.__globals__.get(base)
            if isinstance(value, types.ModuleType) and _is_service_module(value.__name__):
                return True
            if isinstance(value, types.ModuleType) and value is module:
                if reaches_service(_function_of(value, target.attr), cls, depth - 1):
                    return True
        elif isinstance(target, ast.Name):
            value = func.__globals__.get(target.id)
            if callable(value) and _is_service_module(getattr(value, "__module__", "") or ""):
                return True
            if isinstance(value, types.FunctionType) and value.__module__ == func.__module__:
                if reaches_service(value, cls, depth - 1):
                    return True
    return False


def _owner_of(cls, name):
    for klass in cls.__mro__:
        if name in vars(klass):
            return klass
    return cls


def write_path_problem(cls, action: str) -> str | None:
    """Why the route ``action`` of viewset ``cls`` may write without a service (None: it goes through one)."""
    method = _function_of(_owner_of(cls, action), action)
    if method is not None and not _from_drf(method):
        return None if reaches_service(method, cls) else f"{action}() calls no service"
    if action == "partial_update":  # DRF's partial_update() is self.update(partial=True)
        return write_path_problem(cls, "update")
    hook_name, serializer_method = DRF_CHAIN[action]
    hook = _function_of(_owner_of(cls, hook_name), hook_name)
    if hook is not None and not _from_drf(hook):
        return None if reaches_service(hook, cls) else f"{hook_name}() calls no service"
    if serializer_method is None:
        return f"DRF's {hook_name}() deletes the row itself"
    serializer = getattr(cls, "serializer_class", None)
    write = _function_of(_owner_of(serializer, serializer_method), serializer_method) if serializer else None
    if write is None or _from_drf(write):
        return f"serializer.save() → DRF's {getattr(serializer, '__name__', '?')}.{serializer_method}() writes the row"
    return (
        None if reaches_service(write, serializer) else f"{serializer.__name__}.{serializer_method}() calls no service"
    )


def api_write_problems() -> list[str]:
    problems = set()
    for cls, actions in _routes():
        name = f"{cls.__module__}.{cls.__name__}"
        if actions is not None:  # a viewset route: {http method: action}
            for http_method, action in actions.items():
                if http_method in ("get", "head", "options") or http_method not in cls.http_method_names:
                    continue
                if action in WRITE_ACTIONS:
                    problem = write_path_problem(cls, action)
                else:
                    func = _function_of(_owner_of(cls, action), action)
                    problem = (
                        None if reaches_service(func, cls) else f"{action}() ({http_method.upper()}) calls no service"
                    )
                if problem:
                    problems.add(f"{name}: {problem}")
        else:  # an APIView: its post/put/patch/delete handlers
            for http_method in ("post", "put", "patch", "delete"):
                func = _function_of(_owner_of(cls, http_method), http_method)
                if func is not None and not _from_drf(func) and not reaches_service(func, cls):
                    problems.add(f"{name}: {http_method}() calls no service")
    return sorted(problems)


def direct_writes(path: Path) -> list[str]:
    """``.save()``/``.delete()``/``objects.create()``/queryset ``.update()`` calls in an API module's source."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        attr, receiver = node.func.attr, node.func.value
        on_manager = isinstance(receiver, ast.Attribute) and receiver.attr == "objects"
        on_queryset = isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute)
        if (
            attr in WRITE_METHODS
            or (attr == "create" and on_manager)
            or (attr == "update" and (on_manager or on_queryset))
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{attr}()")
    return found


def test_every_api_route_that_writes_goes_through_a_service():
    problems = api_write_problems()
    assert not problems, "API writes that skip their service:\n" + "\n".join(problems)


def test_no_api_module_writes_a_model_itself():
    files = sorted(p for p in ROOT.glob("*/api/*.py") if p.parent.parent.name in _project_apps())
    assert files, "no API modules found"
    found = [hit for path in files for hit in direct_writes(path)]
    assert not found, "write the model in a service, not in the API:\n" + "\n".join(found)


def test_the_check_sees_the_routes_and_knows_a_violation_when_it_sees_one():
    """The check is not vacuous: it sees the write routes, a DRF default write is caught, a service call passes."""
    from rest_framework import serializers, viewsets

    from assessment.api.views import AnnualTargetViewSet, RubricItemViewSet
    from notifications.models import Notification

    routes = {cls for cls, _ in _routes()}
    assert {AnnualTargetViewSet, RubricItemViewSet} <= routes
    assert write_path_problem(RubricItemViewSet, "partial_update") is None
    assert write_path_problem(AnnualTargetViewSet, "create") is None

    class PlainSerializer(serializers.ModelSerializer):
        class Meta:
            model = Notification
            fields = ["read_at"]

    class PlainViewSet(viewsets.ModelViewSet):
        serializer_class = PlainSerializer

    class SavingViewSet(viewsets.ModelViewSet):
        serializer_class = PlainSerializer

        def perform_update(self, serializer):
            serializer.save()

    assert "DRF's PlainSerializer.update() writes the row" in write_path_problem(PlainViewSet, "partial_update")
    assert "deletes the row itself" in write_path_problem(PlainViewSet, "destroy")
    assert write_path_problem(SavingViewSet, "update") == "perform_update() calls no service"
