"""The 双随机 draw: a pure, published algorithm (no Django), so anyone can re-run it from the record.

Three schemes. v1 (plans drawn before issue 22, kept auditable) is described here; v2 (commit, then reveal) and
v3 (v2 with the projects weighted by their contractors' credit grade, issue 24) below.

Inputs are all frozen at draw time and stored on the plan: the seed, the eligible project ids and inspector ids
(each list sorted), and for each eligible project the inspectors excluded from its team (conflict of interest,
recent inspection of the same project). The random stream is SHA-256 in counter mode over the seed, so the result
does not depend on Python's ``random`` implementation or version:

    block_i = SHA-256("<seed>:<i>")  (i = 0, 1, 2 …), read as a 256-bit big-endian integer;
    randbelow(n) takes the next block and rejects values ≥ the largest multiple of n below 2^256 (no modulo bias).

Projects are drawn first (a partial Fisher-Yates shuffle of the sorted eligible list); then, for each drawn project
in drawn order, its team is drawn the same way from the eligible inspectors minus that project's exclusions.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

_SPACE = 1 << 256


def make_seed(plan_id: int, public_value: str) -> str:
    """The published seed: SHA-256 of the plan id and the public value entered when drawing (e.g. 当日上证指数收盘价)."""
    return hashlib.sha256(f"jingpin-inspection:{int(plan_id)}:{public_value.strip()}".encode()).hexdigest()


class SeededStream:
    """Deterministic uniform integers from a seed (SHA-256 counter mode, rejection sampling)."""

    def __init__(self, seed: str):
        self.seed = seed
        self.counter = 0

    def _block(self) -> int:
        digest = hashlib.sha256(f"{self.seed}:{self.counter}".encode()).digest()
        self.counter += 1
        return int.from_bytes(digest, "big")

    def randbelow(self, n: int) -> int:
        if n <= 0:
            raise ValueError("n must be positive")
        limit = _SPACE - (_SPACE % n)
        while True:
            value = self._block()
            if value < limit:
                return value % n


def sample(stream: SeededStream, items: Sequence, k: int) -> list:
    """``k`` items drawn without replacement, in draw order (partial Fisher-Yates on a copy)."""
    pool = list(items)
    k = min(k, len(pool))
    for i in range(k):
        j = i + stream.randbelow(len(pool) - i)
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


@dataclass(frozen=True)
class Team:
    project_id: int
    inspector_ids: tuple[int, ...]
    short_by: int = 0  # how many inspectors were missing (too few eligible after exclusions)


@dataclass(frozen=True)
class DrawResult:
    seed: str
    teams: tuple[Team, ...] = field(default_factory=tuple)

    @property
    def project_ids(self) -> list[int]:
        return [t.project_id for t in self.teams]

    def as_json(self) -> list[dict]:
        return [
            {"project": t.project_id, "inspectors": list(t.inspector_ids), "short_by": t.short_by} for t in self.teams
        ]


def draw(
    seed: str,
    project_ids: Sequence[int],
    inspector_ids: Sequence[int],
    *,
    project_count: int,
    team_size: int,
    exclusions: Mapping[int, Sequence[int]] | None = None,
) -> DrawResult:
    """Draw ``project_count`` projects and a team of ``team_size`` inspectors for each (see the module docstring)."""
    exclusions = exclusions or {}
    stream = SeededStream(seed)
    projects = sample(stream, sorted(set(project_ids)), project_count)
    inspectors = sorted(set(inspector_ids))
    teams = []
    for project_id in projects:
        excluded = set(exclusions.get(project_id, ()))
        candidates = [i for i in inspectors if i not in excluded]
        chosen = sample(stream, candidates, team_size)
        teams.append(Team(project_id, tuple(chosen), short_by=max(0, team_size - len(chosen))))
    return DrawResult(seed, tuple(teams))


# --- v2: commit, then reveal ---------------------------------------------------------------------------------
#
# Since issue 22 a plan is first *locked*: the canonical record below is frozen, its SHA-256 (the commitment) is
# published at once, and only then — on or after the record's declared date — is the public random value entered.
# The organiser can no longer try values offline: the record (and so the commitment) is fixed before the value is
# known, the value comes from the declared public source, and it is accepted once.
#
# The record (all keys required; ids are integers, everything else strings, integers, booleans or lists of them):
#
#     {"scheme": "jingpin-draw-v2",
#      "plan": {"id", "name", "organiser", "year", "period_start", "period_end", "scope", "recency_months"},
#      "project_count": k,
#      "team": {"size": n, "enforcement_seats": m},           # m ≥ 2 执法人员 per team
#      "projects": [{"id", "code", "name", "county"}, …],      # sorted by id
#      "inspectors": [{"id", "name", "kind", "kind_label"}, …],  # sorted by id; kind "staff" (执法人员) / "expert" (专家)
#      "exclusions": {"<project id>": [{"inspector": id, "reason": "利害关系回避" | "近期检查回避"}, …]},
#      "public_value_source": "…",                             # e.g. a named lottery draw or an index close
#      "public_value_not_before": "YYYY-MM-DD",                # Asia/Shanghai calendar day
#      "locked_at": "…"}
#
# canonical_json(record) = UTF-8 of json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
# commitment             = SHA-256(canonical_json(record)), lowercase hex
# canonical_value(v)     = v in Unicode NFKC, whitespace runs collapsed to one space, stripped
# seed                   = SHA-256("jingpin-draw-v2:<commitment>:<canonical_value>"), lowercase hex
#
# The draw (``draw_v2``) uses the same SHA-256 counter stream as v1: first ``project_count`` projects from the
# record's sorted project ids; then, for each drawn project in drawn order, its team: the enforcement seats from the
# project's non-excluded 执法人员 (sorted by id), then the remaining seats from everyone left (执法人员 and 专家).
# scripts/verify-draw.py is a standalone (stdlib only) copy of this section; tests keep the two equal.
#
# v3: v2 with 差异化监管 weights (issue 24). A plan locked with “按信用等级差异化抽取” commits to a v3 record: the v2
# record with ``"scheme": "jingpin-draw-v3"``, a ``weighting`` block and, on every project, its credit grade and
# weight — so the weights are part of the commitment like everything else:
#
#     "weighting": {"basis": "…", "weights": {"A": 1, "B": 2, "C": 3, "D": 4}},   # integers 1–10
#     "projects": [{"id", "code", "name", "county", "grade", "weight"}, …],    # weight = weights[grade]
#
# (a project's grade is the worst current grade among its 施工总承包/工程总承包 units, frozen at lock time).
# seed = SHA-256("jingpin-draw-v3:<commitment>:<canonical_value>"), and the projects are drawn by *successive
# weighted sampling without replacement* on the same SHA-256 counter stream, in exact integer arithmetic:
#
#     pool = the record's (project id, weight) pairs sorted by id
#     repeat project_count times (while the pool is not empty):
#         r = randbelow(sum of the pool's weights)
#         walk the pool in order, subtracting each weight from r; the first project with r < weight is drawn
#         (it leaves the pool)
#
# so each remaining project is drawn next with probability weight / (sum of remaining weights) exactly — the same
# distribution as the Efraimidis–Spirakis method, without floats. The teams follow on the same stream exactly as in
# v2. An unweighted plan is still locked as a v2 record: its bytes, commitment, seed and draw are unchanged.

SCHEME_V2 = "jingpin-draw-v2"
SCHEME_V3 = "jingpin-draw-v3"
SCHEMES = (SCHEME_V2, SCHEME_V3)
GRADES = ("A", "B", "C", "D")  # best to worst
DEFAULT_GRADE_WEIGHTS = {"A": 1, "B": 2, "C": 3, "D": 4}
MIN_WEIGHT, MAX_WEIGHT = 1, 10
WEIGHT_BASIS = "项目施工总承包、工程总承包单位中最低的当前信用等级（锁定时；无总承包单位的按无信用记录单位的基准等级）"
STAFF_KIND = "staff"
MIN_ENFORCEMENT_SEATS = 2
CONFLICT = "利害关系回避"
RECENT = "近期检查回避"


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def canonical_json(record: Mapping) -> bytes:
    """The exact bytes that are committed to (and published for download)."""
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def commitment(record: Mapping) -> str:
    return sha256_hex(canonical_json(record))


def canonical_value(public_value: str) -> str:
    """The public value as it enters the seed: NFKC (full-width digits become ASCII), single spaces, stripped."""
    return " ".join(unicodedata.normalize("NFKC", public_value or "").split())


def make_seed_v2(commitment_hex: str, public_value: str, scheme: str = SCHEME_V2) -> str:
    """The seed of a locked record: SHA-256("<scheme>:<commitment>:<canonical value>") (scheme v2 or v3)."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}")
    return hashlib.sha256(f"{scheme}:{commitment_hex}:{canonical_value(public_value)}".encode()).hexdigest()


def scheme_of(record: Mapping) -> str:
    """A record's scheme (records of the pure tests may leave it out: v2)."""
    return record.get("scheme", SCHEME_V2)


def is_weight(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and MIN_WEIGHT <= value <= MAX_WEIGHT


def grade_weight_problems(weights: Mapping) -> list[str]:
    """Why these weights per grade cannot be committed to (Chinese), or []: integers 1–10 for A, B, C and D, a
    worse grade never weighing less than a better one, and D weighing more than A (else nothing is 差异化)."""
    problems = []
    unknown = sorted(str(k) for k in weights if k not in GRADES)
    if unknown:
        problems.append(f"信用等级只有A、B、C、D四级，不能为“{'、'.join(unknown)}”设置权重。")
    for grade in GRADES:
        value = weights.get(grade)
        if value is None or value == "":
            problems.append(f"请填写{grade}级权重（{MIN_WEIGHT}至{MAX_WEIGHT}的整数）。")
        elif not is_weight(value):
            problems.append(f"{grade}级权重须为{MIN_WEIGHT}至{MAX_WEIGHT}之间的整数（当前为“{value}”）。")
    if problems:
        return problems
    for better, worse in zip(GRADES, GRADES[1:], strict=False):
        if weights[worse] < weights[better]:
            problems.append(
                f"{worse}级权重（{weights[worse]}）不能小于{better}级权重（{weights[better]}）："
                "信用等级越低，被抽中的机会应越大。"
            )
    if not problems and weights["D"] <= weights["A"]:
        problems.append("D级权重须大于A级权重，否则抽取并未按信用等级差异化。")
    return problems


def record_problems(record: Mapping) -> list[str]:
    """Why a record cannot be locked (Chinese, for the organiser), or [] — the team rule made checkable."""
    problems = []
    size = int(record["team"]["size"])
    seats = int(record["team"]["enforcement_seats"])
    if not record["projects"]:
        problems.append("检查范围内没有符合条件的项目。")
    if seats < MIN_ENFORCEMENT_SEATS:
        problems.append(f"每组至少须有{MIN_ENFORCEMENT_SEATS}名执法人员（当前规则为{seats}名）。")
    if seats > size:
        problems.append(f"每组执法人员数（{seats}）不能多于每组检查人员数（{size}）。")
    staff = {i["id"] for i in record["inspectors"] if i["kind"] == STAFF_KIND}
    everyone = {i["id"] for i in record["inspectors"]}
    for project in record["projects"]:
        excluded = {e["inspector"] for e in record["exclusions"].get(str(project["id"]), [])}
        label = f"{project['code']} {project['name']}".strip()
        free_staff = len(staff - excluded)
        if free_staff < max(seats, MIN_ENFORCEMENT_SEATS):
            problems.append(
                f"项目“{label}”排除回避后只有{free_staff}名执法人员，不足每组{max(seats, MIN_ENFORCEMENT_SEATS)}名。"
            )
        elif len(everyone - excluded) < size:
            problems.append(f"项目“{label}”排除回避后只有{len(everyone - excluded)}名检查人员，不足每组{size}人。")
    if scheme_of(record) == SCHEME_V3:
        problems += weighting_problems(record)
    return problems


def weighting_problems(record: Mapping) -> list[str]:
    """A v3 record's weights: valid per grade, and every project weighs what its grade weighs."""
    weights = (record.get("weighting") or {}).get("weights") or {}
    problems = grade_weight_problems(weights)
    if problems:
        return problems
    for project in record["projects"]:
        label = f"{project.get('code', '')} {project.get('name', project['id'])}".strip()
        if project.get("grade") not in GRADES:
            problems.append(f"项目“{label}”的信用等级不正确。")
        elif project.get("weight") != weights[project["grade"]]:
            problems.append(f"项目“{label}”的权重与{project['grade']}级权重不一致。")
    return problems


def weighted_sample(stream: SeededStream, weighted: Sequence[tuple[int, int]], k: int) -> list[int]:
    """``k`` ids drawn without replacement, each next one with probability weight / (remaining total), in draw
    order: successive sampling over the (id, weight) pairs sorted by id, integers only (see v3 above)."""
    pool = sorted((int(item), int(weight)) for item, weight in weighted)
    if any(weight < 1 for _, weight in pool) or len({item for item, _ in pool}) != len(pool):
        raise ValueError("weights must be positive integers, ids unique")
    chosen = []
    for _ in range(min(k, len(pool))):
        r = stream.randbelow(sum(weight for _, weight in pool))
        index = 0
        while r >= pool[index][1]:  # r < the pool's total, so this stops inside the pool
            r -= pool[index][1]
            index += 1
        chosen.append(pool.pop(index)[0])
    return chosen


def draw_locked(seed: str, record: Mapping) -> DrawResult:
    """The draw of a locked record by its scheme: v3 (credit-weighted projects) or v2."""
    return draw_v3(seed, record) if scheme_of(record) == SCHEME_V3 else draw_v2(seed, record)


def draw_v2(seed: str, record: Mapping) -> DrawResult:
    """The v2 draw over a locked record (see above): projects, then per project enforcement seats first."""
    stream = SeededStream(seed)
    projects = sample(stream, sorted({int(p["id"]) for p in record["projects"]}), int(record["project_count"]))
    return _teams(stream, seed, record, projects)


def draw_v3(seed: str, record: Mapping) -> DrawResult:
    """The v3 draw: projects by their frozen weights (successive weighted sampling), then the teams as in v2."""
    stream = SeededStream(seed)
    weighted = [(int(p["id"]), int(p["weight"])) for p in record["projects"]]
    projects = weighted_sample(stream, weighted, int(record["project_count"]))
    return _teams(stream, seed, record, projects)


def _teams(stream: SeededStream, seed: str, record: Mapping, projects: Sequence[int]) -> DrawResult:
    inspectors = sorted(record["inspectors"], key=lambda i: int(i["id"]))
    size = int(record["team"]["size"])
    seats = min(int(record["team"]["enforcement_seats"]), size)
    teams = []
    for project_id in projects:
        excluded = {int(e["inspector"]) for e in record["exclusions"].get(str(project_id), [])}
        candidates = [int(i["id"]) for i in inspectors if int(i["id"]) not in excluded]
        staff = [int(i["id"]) for i in inspectors if i["kind"] == STAFF_KIND and int(i["id"]) not in excluded]
        enforcement = sample(stream, staff, seats)
        rest = sample(stream, [i for i in candidates if i not in enforcement], size - len(enforcement))
        chosen = tuple(enforcement + rest)
        teams.append(Team(project_id, chosen, short_by=max(0, size - len(chosen))))
    return DrawResult(seed, tuple(teams))
