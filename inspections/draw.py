"""The 双随机 draw: a pure, published algorithm (no Django), so anyone can re-run it from the record.

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
