"""config/settings.py is the one place for the project's defaults: code reads ``settings.X`` (or
``settings.JINGPIN["X"]``), never ``getattr(settings, "X", default)`` or ``JINGPIN.get("X", default)`` for a setting
that settings.py sets — a second default there drifts from the first (EXACT_COUNT_LIMIT said 500,000 in the code and
200,000 in settings.py). Run on the source as text; Django's and third-party settings the project does not set
are left alone."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.core.test_import_graph import APPS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [*APPS, "config", "bench", "scripts"]


def project_settings() -> set[str]:
    """The names config/settings.py assigns, and the keys of its JINGPIN dict."""
    names = set()
    for node in ast.walk(ast.parse((ROOT / "config" / "settings.py").read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.isupper():
                    names.add(target.id)
                    if target.id == "JINGPIN" and isinstance(node.value, ast.Dict):
                        names.update(k.value for k in node.value.keys if isinstance(k, ast.Constant))
    return names


def second_defaults(source: str, known: set[str]) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or len(node.args) < 2 or not isinstance(node.args[1], ast.Constant):
            continue
        func, name = node.func, node.args[1].value
        by_getattr = (
            isinstance(func, ast.Name)
            and func.id == "getattr"
            and len(node.args) == 3
            and ast.unparse(node.args[0]) in ("settings", "django_settings")
        )
        by_get = isinstance(func, ast.Attribute) and func.attr == "get" and "JINGPIN" in ast.unparse(func.value)
        if by_get:
            name = node.args[0].value if isinstance(node.args[0], ast.Constant) else None
        if (by_getattr or by_get) and name in known:
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_second_default_for_a_project_setting():
    known = project_settings()
    offenders = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts or path == ROOT / "config" / "settings.py":
                continue
            for line, call in second_defaults(path.read_text(encoding="utf-8"), known):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {call}")
    assert offenders == [], "read settings.X; the default belongs in config/settings.py:\n" + "\n".join(offenders)


def test_the_check_finds_both_forms():
    known = {"EXACT_COUNT_LIMIT", "SET_PASSWORD_PER_IP_PER_HOUR"}
    source = (
        'a = getattr(settings, "EXACT_COUNT_LIMIT", 500)\n'
        'b = settings.JINGPIN.get("SET_PASSWORD_PER_IP_PER_HOUR", 30)\n'
        'c = getattr(settings, "SOME_DJANGO_SETTING", 1)\n'
        "d = settings.EXACT_COUNT_LIMIT\n"
    )
    assert [line for line, _ in second_defaults(source, known)] == [1, 2]


def test_every_environment_variable_is_in_the_readme():
    """No hidden knob: each variable config/settings.py reads (envstr/envint/envbool/envlist) is named in README.md."""
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'env(?:str|int|bool|list)\(\s*"([A-Z0-9_]+)"', source))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(names) > 50
    assert sorted(n for n in names if not re.search(rf"\b{n}\b", readme)) == []
