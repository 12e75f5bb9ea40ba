"""抽查事项清单 (issue 25; seed 001 二(五)1 “双随机、一公开”): what may be inspected — the checklist templates by
category — is published on the public site, read-only; a template's name never says where it came from
(“绿色建造试点项目检查表（种子文件003）” showed the seed file)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from inspections import checklists, public, services
from inspections.models import ChecklistTemplate
from inspections.seed import seed_reference


class _Out:
    def write(self, *_):
        pass


def test_the_public_checklist_page_lists_every_current_template_by_category_without_login(client, db):
    seed_reference(_Out())
    page = client.get("/inspections/public/checklists/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "“双随机、一公开”工程质量安全检查表" in text and "绿色建造试点项目检查表" in text
    assert "安全生产" in text and "施工现场临边洞口防护、临时用电、起重机械管理符合要求" in text
    assert "种子文件" not in text
    assert "<form" not in text.split("抽查事项清单</h1>")[1]  # read-only


def test_the_public_index_and_the_results_page_link_to_the_checklist(client, db):
    for url in ("/disclosure/", "/inspections/public/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "/inspections/public/checklists/" in response.content.decode()


def test_a_new_version_replaces_the_old_one_on_the_public_page(client, db):
    services.save_template("general", "工程质量安全检查表", [{"category": "实体质量", "text": "甲项"}])
    services.save_template("other", "专项检查表（种子文件002）", [{"category": "安全生产", "text": "乙项"}])
    rows = {r["name"]: r for r in public.public_checklists()}
    assert "工程质量安全检查表" in rows and "“双随机、一公开”工程质量安全检查表" not in rows  # the current version only
    assert rows["专项检查表"]["groups"] == [("安全生产", ["乙项"])]
    with pytest.raises(ValidationError):
        services.save_template("x", "（种子文件003）", [{"category": "", "text": "丙项"}])


@pytest.mark.parametrize(
    ("name", "clean"),
    [
        ("绿色建造试点项目检查表（种子文件003）", "绿色建造试点项目检查表"),
        ("检查表(seed 003)", "检查表"),
        ("检查表（种子001）", "检查表"),
        ("“双随机、一公开”工程质量安全检查表", "“双随机、一公开”工程质量安全检查表"),
    ],
)
def test_a_template_name_never_says_where_it_came_from(name, clean):
    assert checklists.clean_name(name) == clean


def test_the_data_migration_renames_existing_rows(db):
    row = ChecklistTemplate.objects.create(
        code="legacy", name="绿色建造试点项目检查表（种子文件003）", items=[{"category": "绿色建造", "text": "x"}]
    )
    migration = importlib.import_module("inspections.migrations.0009_template_names_without_source")
    migration.strip_source(django_apps, None)
    row.refresh_from_db()
    assert row.name == "绿色建造试点项目检查表"
