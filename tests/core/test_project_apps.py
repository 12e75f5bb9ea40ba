"""The list of the project's own apps is kept once (config/apps.py); everything that names the apps reads it."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

from config.apps import API_AREAS, DOMAIN_APPS, PROJECT_APPS, SEED_ORDER

ROOT = Path(__file__).resolve().parents[2]


def test_installed_apps_are_the_project_apps_in_order():
    local = [c.name for c in apps.get_app_configs() if Path(c.path).resolve().parent == ROOT.resolve()]
    assert local == list(PROJECT_APPS)
    assert [a for a in settings.INSTALLED_APPS if a in PROJECT_APPS] == list(PROJECT_APPS)
    assert DOMAIN_APPS == [a for a in PROJECT_APPS if a != "core"]


def test_seed_order_names_every_domain_app_once():
    assert sorted(SEED_ORDER) == sorted(DOMAIN_APPS)
    seeded = sorted(p.parent.name for p in ROOT.glob("*/seed.py"))
    assert set(seeded) <= set(SEED_ORDER)


def test_api_areas_are_the_tags_and_every_app_has_one():
    assert set(PROJECT_APPS.values()) == set(API_AREAS)
    tags = settings.SPECTACULAR_SETTINGS["TAGS"]
    assert [t["name"] for t in tags] == list(API_AREAS)
    assert all(t["description"] for t in tags)


def test_readers_use_the_one_list():
    from core import seeding
    from core.api import schema
    from tests.core import test_import_graph

    assert schema.AREAS is PROJECT_APPS
    assert seeding.APP_ORDER is SEED_ORDER
    assert test_import_graph.DOMAIN_APPS == DOMAIN_APPS


def test_ruff_knows_every_project_app_as_first_party():
    """pyproject.toml cannot read config/apps.py: its isort list is checked against it instead."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    first_party = config["tool"]["ruff"]["lint"]["isort"]["known-first-party"]
    assert set(PROJECT_APPS) <= set(first_party)
