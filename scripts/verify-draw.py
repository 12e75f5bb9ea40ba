#!/usr/bin/env python3
"""Re-compute a 双随机 draw (scheme jingpin-draw-v2 or -v3) from its published JSON alone — Python 3.9+, stdlib only.

Usage:
    python3 verify-draw.py audit.json                 # the file from the plan's public audit page (“下载核验数据”)
    python3 verify-draw.py https://…/public/plans/7/audit.json
    python3 verify-draw.py audit.json --record record.json   # also check the downloaded canonical record bytes

The audit JSON holds ``record`` (the locked record), ``commitment``, ``public_value`` and ``result``. The script:

1. re-serialises the record canonically — UTF-8 of json.dumps(record, sort_keys=True, separators=(",", ":"),
   ensure_ascii=False) — and checks that its SHA-256 equals the published commitment (and, with --record, that the
   downloaded record file is exactly those bytes);
2. derives seed = SHA-256("<scheme>:<commitment>:<public value in NFKC, single-spaced, stripped>"), the scheme
   being the record's ("jingpin-draw-v2", or "jingpin-draw-v3" for a plan weighted by credit grade);
3. re-runs the draw: a SHA-256 counter stream (block_i = SHA-256("<seed>:<i>") as a 256-bit big-endian integer,
   rejection sampling below the largest multiple of n); the projects: v2, a partial Fisher-Yates over the sorted
   project ids for ``project_count`` projects; v3 (差异化监管), successive weighted sampling over the (id, weight)
   pairs sorted by id — r = randbelow(sum of the remaining weights), the first project whose weight exceeds what is
   left of r after subtracting the weights before it is drawn and leaves the pool — after checking that each
   project's weight is the weight the record gives its grade (integers 1–10); then per drawn project the
   enforcement seats from its non-excluded 执法人员 (kind "staff", sorted by id), then the remaining seats from
   everyone left;
4. compares with the published result and prints the teams.

Check yourself that ``public_value`` is what the declared source (record → public_value_source) published on the
declared date, and that the commitment was published (on the 一公开 page) before that date.

Exit status: 0 when everything matches, 1 when anything does not, 2 on bad input.
This is an independent copy of the algorithm in inspections/draw.py; the project's tests keep the two equal.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import unicodedata
import urllib.request

SCHEME = "jingpin-draw-v2"
WEIGHTED = "jingpin-draw-v3"  # v2 with the projects weighted by their contractors' credit grade
SCHEMES = (SCHEME, WEIGHTED)
GRADES = ("A", "B", "C", "D")
SPACE = 1 << 256


def canonical_json(record) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def canonical_value(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def make_seed(commitment: str, value: str, scheme: str = SCHEME) -> str:
    return hashlib.sha256(f"{scheme}:{commitment}:{canonical_value(value)}".encode()).hexdigest()


class Stream:
    def __init__(self, seed: str):
        self.seed, self.counter = seed, 0

    def randbelow(self, n: int) -> int:
        limit = SPACE - (SPACE % n)
        while True:
            value = int.from_bytes(hashlib.sha256(f"{self.seed}:{self.counter}".encode()).digest(), "big")
            self.counter += 1
            if value < limit:
                return value % n


def sample(stream: Stream, items, k: int) -> list:
    pool = list(items)
    k = min(k, len(pool))
    for i in range(k):
        j = i + stream.randbelow(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def weighted_sample(stream: Stream, weighted, k: int) -> list:
    pool = sorted((int(item), int(weight)) for item, weight in weighted)
    if any(weight < 1 for _, weight in pool) or len({item for item, _ in pool}) != len(pool):
        raise ValueError("权重须为正整数，项目编号不能重复")
    chosen = []
    for _ in range(min(k, len(pool))):
        r = stream.randbelow(sum(weight for _, weight in pool))
        index = 0
        while r >= pool[index][1]:  # r < the pool's total, so this stops inside the pool
            r -= pool[index][1]
            index += 1
        chosen.append(pool.pop(index)[0])
    return chosen


def is_weight(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 10


def weight_problems(record) -> list[str]:
    """A v3 record's own consistency: weights 1–10 for A–D, each project weighing what its grade weighs."""
    weights = (record.get("weighting") or {}).get("weights") or {}
    if set(weights) != set(GRADES) or not all(is_weight(weights[g]) for g in GRADES):
        return [f"等级权重表不正确：{weights}"]
    return [
        f"项目{p['id']}：等级{p.get('grade')}、权重{p.get('weight')}与等级权重表不符"
        for p in record["projects"]
        if p.get("grade") not in GRADES or p.get("weight") != weights[p["grade"]]
    ]


def draw(seed: str, record) -> list[dict]:
    stream = Stream(seed)
    if record.get("scheme", SCHEME) == WEIGHTED:
        weighted = [(int(p["id"]), int(p["weight"])) for p in record["projects"]]
        projects = weighted_sample(stream, weighted, int(record["project_count"]))
    else:
        projects = sample(stream, sorted({int(p["id"]) for p in record["projects"]}), int(record["project_count"]))
    inspectors = sorted(record["inspectors"], key=lambda i: int(i["id"]))
    size = int(record["team"]["size"])
    seats = min(int(record["team"]["enforcement_seats"]), size)
    teams = []
    for project in projects:
        excluded = {int(e["inspector"]) for e in record["exclusions"].get(str(project), [])}
        candidates = [int(i["id"]) for i in inspectors if int(i["id"]) not in excluded]
        staff = [int(i["id"]) for i in inspectors if i["kind"] == "staff" and int(i["id"]) not in excluded]
        enforcement = sample(stream, staff, seats)
        rest = sample(stream, [i for i in candidates if i not in enforcement], size - len(enforcement))
        chosen = enforcement + rest
        teams.append({"project": project, "inspectors": chosen, "short_by": max(0, size - len(chosen))})
    return teams


def load(source: str) -> bytes:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as response:  # noqa: S310 (the user's own URL)
            return response.read()
    with open(source, "rb") as handle:
        return handle.read()


def verify(bundle, record_bytes: bytes | None = None, out=print) -> bool:
    record = bundle["record"]
    ok = True
    digest = hashlib.sha256(canonical_json(record)).hexdigest()
    out(f"承诺值（公示）：{bundle['commitment']}")
    out(f"承诺值（重算）：{digest}")
    if digest != bundle["commitment"]:
        out("✗ 锁定记录与公示的承诺值不符：记录被改动过。")
        ok = False
    if record_bytes is not None:
        if hashlib.sha256(record_bytes).hexdigest() != bundle["commitment"]:
            out("✗ 下载的锁定记录文件的SHA-256与承诺值不符。")
            ok = False
        else:
            out("✓ 下载的锁定记录文件与承诺值一致。")
    scheme = record.get("scheme", SCHEME)
    if scheme != bundle.get("scheme"):
        out(f"✗ 锁定记录的算法（{scheme}）与核验数据声明的算法（{bundle.get('scheme')}）不一致。")
        ok = False
    out(f"公开随机值来源：{record['public_value_source']}（{record['public_value_not_before']}起可输入）")
    if scheme == WEIGHTED:
        weights = record["weighting"]["weights"]
        out("按信用等级差异化抽取，权重：" + "、".join(f"{g}级 {weights.get(g)}" for g in GRADES))
        problems = weight_problems(record)
        for problem in problems:
            out(f"✗ {problem}")
        if problems:
            return False
    value = bundle.get("public_value")
    if value is None:
        out("该计划尚未输入公开随机值（或已作废），只能核对承诺值。")
        return ok
    seed = make_seed(bundle["commitment"], value, scheme)
    out(f"公开随机值：{value}")
    out(f"随机种子：{seed}")
    if bundle.get("seed") and bundle["seed"] != seed:
        out("✗ 公布的随机种子与重算的不一致。")
        ok = False
    teams = draw(seed, record)
    names = {int(i["id"]): f"{i['name']}（{i.get('kind_label', i['kind'])}）" for i in record["inspectors"]}
    labels = {
        int(p["id"]): f"{p['code']} {p['name']}（{p['county']}"
        + (f"，{p['grade']}级，权重{p['weight']}）" if scheme == WEIGHTED else "）")
        for p in record["projects"]
    }
    for order, team in enumerate(teams, start=1):
        members = "、".join(names.get(i, str(i)) for i in team["inspectors"])
        short = f"（缺{team['short_by']}人）" if team["short_by"] else ""
        out(f"  {order}. {labels.get(team['project'], team['project'])}：{members}{short}")
    if teams != bundle.get("result"):
        out("✗ 重算的抽取结果与公布的结果不一致。")
        ok = False
    return ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="核验“双随机”抽取（jingpin-draw-v2 / v3）：仅凭公布的JSON重新演算。")
    parser.add_argument("audit", help="公开核验页下载的 audit.json（文件路径或网址）")
    parser.add_argument("--record", help="公开核验页下载的锁定记录 record.json（可选，核对原始字节）")
    args = parser.parse_args(argv)
    try:
        bundle = json.loads(load(args.audit).decode("utf-8"))
        record_bytes = load(args.record) if args.record else None
        if bundle.get("scheme") not in SCHEMES:
            print(f"不支持的算法：{bundle.get('scheme')}", file=sys.stderr)
            return 2
        ok = verify(bundle, record_bytes)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"无法读取核验数据：{exc}", file=sys.stderr)
        return 2
    print("✓ 核验通过：承诺值、随机种子和抽取结果均一致。" if ok else "✗ 核验未通过。")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
