"""Swagger groups the operations by area, each with its own Chinese summary."""

import re

import pytest
from drf_spectacular.generators import SchemaGenerator

AREAS = ["项目", "评价", "奖励", "考评", "报表", "监督", "试点", "信用", "组织"]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, op in item.items():
            yield path, method, op


def test_every_operation_sits_under_one_area_tag(schema):
    assert [t["name"] for t in schema["tags"]] == AREAS
    tags = {}
    for path, method, op in operations(schema):
        assert len(op["tags"]) == 1 and op["tags"][0] in AREAS, (method, path, op["tags"])
        tags.setdefault(op["tags"][0], set()).add(path)
    assert set(tags) == set(AREAS)
    assert "/api/v1/projects/" in tags["项目"] and "/api/v1/award-records/" in tags["奖励"]
    assert "/api/v1/users/" in tags["组织"] and "/api/v1/reports/" in tags["报表"]
    assert "/api/v1/credit-entries/" in tags["信用"] and "/api/v1/enterprises/{id}/credit/" in tags["信用"]


def test_every_operation_has_its_own_chinese_summary(schema):
    seen = {}
    for path, method, op in operations(schema):
        summary = op.get("summary", "")
        assert re.search(r"[\u4e00-\u9fff]", summary), (method, path, summary)
        assert (summary not in seen) or seen[summary] == (method, path), (summary, seen[summary], (method, path))
        seen[summary] = (method, path)
    assert seen["项目列表"] == ("get", "/api/v1/projects/")
    assert seen["导出积分台账（Excel，与列表相同的筛选条件，全部行）"] == ("get", "/api/v1/points-ledger/export/")
