"""Count the imports written inside functions in the apps' production code (issue 28).

Production code: every module of the apps (core and the domain apps), seed modules and management commands
included; migrations and tests/ left out. An import is "function-level" when it sits inside a function or lambda
(at any depth). It is "cross-app" when it names another app of the project; imports in ``apps.py`` (the
``AppConfig.ready()`` hooks, where Django wants them) are counted apart.

    .venv/bin/python scripts/count_lazy_imports.py [-v]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = [
    "core",
    "accounts",
    "notifications",
    "projects",
    "evaluation",
    "awards",
    "assessment",
    "inspections",
    "reports",
    "disclosure",
    "complaints",
    "credit",
]


def function_imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name) for alias in child.names)
            elif in_function and isinstance(child, ast.ImportFrom):
                found.append((child.lineno, "." * child.level + (child.module or "")))
            walk(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    walk(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def main(verbose: bool) -> None:
    total = same = other = 0
    cross: list[str] = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, module in function_imports(path):
                total += 1
                top = module.split(".")[0]
                if module.startswith(".") or top == app:
                    same += 1
                elif top in APPS:
                    cross.append(f"{path.relative_to(ROOT)}:{line} {module}")
                else:
                    other += 1
    in_ready = [c for c in cross if c.split(":")[0].endswith("apps.py")]
    print(
        f"function-level imports: {total} (same app {same}, cross-app {len(cross)}, stdlib/django/third-party {other})"
    )
    print(f"cross-app: {len(in_ready)} in apps.py (AppConfig.ready), {len(cross) - len(in_ready)} elsewhere")
    if verbose:
        print("\n".join(c for c in cross if c not in in_ready))


if __name__ == "__main__":
    main("-v" in sys.argv)
