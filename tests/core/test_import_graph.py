"""The apps' import graph: no cycle between apps, and ``core`` imports no domain app.

Every ``import`` / ``from … import`` in an app's modules counts, also those inside functions (a lazy import is
still a dependency); migrations are left out (they name apps by label, not by import). Run on the source as text,
so nothing is imported to draw it. A second walk fails on an import of another app inside a function (outside
``AppConfig.ready()`` and the allowlist): the one plug-in mechanism between apps is a registry (issue 28).
"""

from __future__ import annotations

import ast
from pathlib import Path

import config.apps

ROOT = Path(__file__).resolve().parents[2]
CORE = "core"
DOMAIN_APPS = list(config.apps.DOMAIN_APPS)  # the one list of the project's apps
APPS = [CORE, *DOMAIN_APPS]


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in APPS)
    return found


def app_graph() -> dict[str, dict[str, list[str]]]:
    """app -> {imported app: [the files that import it]}."""
    graph: dict[str, dict[str, list[str]]] = {app: {} for app in APPS}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for other in imported_apps(path) - {app}:
                graph[app].setdefault(other, []).append(str(path.relative_to(ROOT)))
    return graph


def find_cycle(graph) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(app):
        state[app] = "open"
        stack.append(app)
        for other in sorted(graph[app]):
            if state.get(other) == "open":
                return stack[stack.index(other) :] + [other]
            if other not in state:
                cycle = visit(other)
                if cycle:
                    return cycle
        stack.pop()
        state[app] = "done"
        return None

    for app in APPS:
        if app not in state:
            cycle = visit(app)
            if cycle:
                return cycle
    return None


def test_no_import_cycle_between_apps():
    graph = app_graph()
    cycle = find_cycle(graph)
    where = []
    if cycle:
        where = [f"{a} -> {b}: {', '.join(graph[a][b])}" for a, b in zip(cycle, cycle[1:], strict=False)]
    assert cycle is None, "import cycle between apps:\n" + "\n".join(where)


def test_core_imports_no_domain_app():
    assert app_graph()[CORE] == {}


def test_every_app_is_walked():
    """The graph knows every app with models (a new app must be added to DOMAIN_APPS to be checked)."""
    from django.apps import apps

    local = {c.name for c in apps.get_app_configs() if Path(c.path).resolve().parent == ROOT.resolve()}
    assert local == set(APPS)


def test_the_walk_finds_cycles_and_lazy_imports(tmp_path, monkeypatch):
    """The checker itself: a lazy import inside a function is an edge, and a two-app loop is reported."""
    for app, body in {
        "core": "",
        "accounts": "def f():\n    from projects import models\n",
        "projects": "import accounts.models\n",
    }.items():
        (tmp_path / app).mkdir()
        (tmp_path / app / "mod.py").write_text(body)
    for app in DOMAIN_APPS:
        (tmp_path / app).mkdir(exist_ok=True)
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    graph = app_graph()
    assert graph["accounts"] == {"projects": ["accounts/mod.py"]}
    assert find_cycle(graph) in (["accounts", "projects", "accounts"], ["projects", "accounts", "projects"])


def test_views_call_no_private_service_function():
    """Web views and API views use a service's public names only (``services._x`` is the service's own)."""
    offenders = []
    for app in DOMAIN_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or not (path.name.endswith("views.py") or "api" in path.parts):
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                private_attr = (
                    isinstance(node, ast.Attribute)
                    and node.attr.startswith("_")
                    and not node.attr.startswith("__")
                    and isinstance(node.value, ast.Name)
                    and node.value.id == "services"
                )
                private_import = isinstance(node, ast.ImportFrom) and (node.module or "").endswith("services")
                private_import = private_import and any(a.name.startswith("_") for a in node.names)
                if private_attr or private_import:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


# Function-level imports of another app that are allowed, with the reason: "path:imported module" -> why.
# (``AppConfig.ready()`` in an app's ``apps.py`` is always allowed: that is where an upper app fills a lower app's
# registry, and where Django wants cross-app imports that touch models.)
LAZY_IMPORT_ALLOWLIST: dict[str, str] = {}


def lazy_cross_app_imports(root: Path) -> list[str]:
    """``path:line module`` for each import of another app written inside a function (not in ``ready()``)."""
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = str(path.relative_to(root))

            def walk(node, function, path=path, app=app, relative=relative):
                for child in ast.iter_child_nodes(node):
                    if function and isinstance(child, ast.Import | ast.ImportFrom):
                        if isinstance(child, ast.Import):
                            modules = [alias.name for alias in child.names]
                        else:
                            modules = [child.module] if child.level == 0 and child.module else []
                        for module in modules:
                            other = module.split(".")[0]
                            in_ready = path.name == "apps.py" and function == "ready"
                            allowed = f"{relative}:{module}" in LAZY_IMPORT_ALLOWLIST
                            if other in APPS and other != app and not in_ready and not allowed:
                                found.append(f"{relative}:{child.lineno} {module}")
                    inner = function
                    if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                        inner = child.name if function is None else function
                    elif isinstance(child, ast.Lambda) and function is None:
                        inner = "<lambda>"
                    walk(child, inner)

            walk(ast.parse(path.read_text(encoding="utf-8")), None)
    return found


def test_no_import_of_another_app_inside_a_function():
    """Issue 28: one plug-in mechanism. A dependency on another app is an import at the module's top (where the
    import graph above allows it) or a registry of the lower app filled from the upper app's ``AppConfig.ready()``;
    a lazy import only hides an edge or a load-time cycle. Exceptions go in ``LAZY_IMPORT_ALLOWLIST`` with why."""
    assert lazy_cross_app_imports(ROOT) == []


def test_the_lazy_import_check_finds_one(tmp_path):
    """The checker itself: a lazy import of another app is found, also nested; ``ready()`` and same-app ones not."""
    files = {
        "accounts/mod.py": "def f():\n    def g():\n        from core import outbox\n    from accounts import x\n",
        "accounts/apps.py": "class C:\n    def ready(self):\n        from core.registry import register_nav\n",
        "projects/apps.py": "def helper():\n    import accounts.models\n",
        "core/mod.py": "import os\n\ndef f():\n    import json\n",
    }
    for app in APPS:
        (tmp_path / app).mkdir()
    for name, body in files.items():
        (tmp_path / name).write_text(body)
    assert lazy_cross_app_imports(tmp_path) == ["accounts/mod.py:3 core", "projects/apps.py:2 accounts.models"]
