"""The 永久性标志牌 (permanent project sign): a print-ready A3/A4 PDF with the public data and a QR code.

The QR code holds the absolute URL of the project's public page (its random public id, never the database id),
so the sign stays valid for the life of the building (a withdrawn page still answers there, see views).

When it may be printed (seed 001 二(一)1 "严格执行……工程竣工永久性标志牌制度，主动公示项目地点、主体责任单位、项目负责人"):
- the page is published;
- the project has reached 竣工验收 (stage 验收移交 or later): the sign is installed at completion, so a sign
  printed during construction would show an unfinished record;
- each of the five responsible parties (建设、勘察、设计、施工、监理) is registered with its 项目负责人. A sign
  is cast in metal and stays for the life of the building: it is refused, with the list of what is missing,
  rather than printed with a blank "—". An EPC (工程总承包) unit stands for the 设计 and the 施工 party.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from core.printing import qr_data_uri
from projects.choices import STAGE_ORDER, ParticipantRole, Stage

SIZES = {"A3": "A3", "A4": "A4"}
FIRST_SIGN_STAGE = Stage.ACCEPTANCE


@dataclass(frozen=True)
class Party:
    label: str
    roles: tuple[str, ...]
    person_title: str


# The five responsible parties of the seed, each with the roles that can fill it and its 项目负责人's title.
FIVE_PARTIES = (
    Party("建设单位", (ParticipantRole.BUILDER,), "项目负责人"),
    Party("勘察单位", (ParticipantRole.SURVEY,), "勘察项目负责人"),
    Party("设计单位", (ParticipantRole.DESIGN, ParticipantRole.EPC), "设计项目负责人"),
    Party("施工单位", (ParticipantRole.CONTRACTOR, ParticipantRole.EPC), "项目经理"),
    Party("监理单位", (ParticipantRole.SUPERVISOR,), "总监理工程师"),
)


def missing_responsible_persons(participants) -> list[str]:
    """For each of the five parties without a registered unit and 项目负责人, one Chinese line (in the seed's
    order); empty when all five are there. ``participants``: the project's participants (prefetched)."""
    missing = []
    participants = list(participants)
    for party in FIVE_PARTIES:
        units = [p for p in participants if p.role in party.roles]
        if not units:
            missing.append(f"{party.label}未登记")
        elif not any((p.key_person or "").strip() for p in units):
            missing.append(f"{party.label}（{units[0].enterprise.name}）的{party.person_title}未填写")
    return missing


def stage_problem(project) -> str | None:
    if STAGE_ORDER.index(project.stage) >= STAGE_ORDER.index(FIRST_SIGN_STAGE):
        return None
    return (
        f"永久性标志牌在竣工验收时设置：项目进入“{Stage(FIRST_SIGN_STAGE).label}”阶段后才能生成"
        f"（当前阶段：{project.get_stage_display()}）。"
    )


def sign_problems(disclosure) -> list[str]:
    """Why the sign of this disclosure may not be printed yet (empty: it may). The manage list shows them
    beside a disabled button; the download refuses with them."""
    if not disclosure.published:
        return ["项目公示后才能生成永久性标志牌。"]
    project = disclosure.project
    problems = []
    stage = stage_problem(project)
    if stage:
        problems.append(stage)
    missing = missing_responsible_persons(project.participants.all())
    if missing:
        problems.append("标志牌不能留空，请先补全责任主体和项目负责人：" + "；".join(missing) + "。")
    return problems


def render_sign_pdf(record, url: str, size: str = "A4") -> bytes:
    from weasyprint import HTML  # lazily: pango is only needed when a PDF is built

    size = SIZES.get((size or "").upper(), "A4")
    html = render_to_string("disclosure/sign_pdf.html", {"p": record, "url": url, "qr": qr_data_uri(url), "size": size})
    return HTML(string=html, base_url=".").write_pdf()
