"""Every POST of the web UI, classified (issue 26 point 4): irreversible actions ask for a confirmation, reversible
ones do not. ``tests/core/test_irreversible_inventory.py`` fails when a POST url is in neither list, when a listed
form lacks its ``data-confirm`` and when a server-confirmed form still asks before validation.

An entry of ``IRREVERSIBLE`` is keyed by the url name, ``#`` and the action (the url's action argument or the
button's ``action``/``decision`` value) where one url serves several. Its ``needle`` identifies the form in its
template. ``server=True``: the view validates first and then asks (``core.confirm``), so the form carries no
client-side ``data-confirm``; otherwise the form (or its button) carries ``data-confirm`` (static/js/confirm.js).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Irreversible:
    what: str  # what cannot be undone
    template: str
    needle: str
    server: bool = False
    # another helper's form, left to it (the test skips it until it carries data-confirm)
    elsewhere: str = ""


IRREVERSIBLE: dict[str, Irreversible] = {
    # evaluation
    "evaluation:my-sheet#submit": Irreversible(
        "提交评分表", "evaluation/sheet_form.html", 'value="submit"', server=True
    ),
    "evaluation:evaluation-close": Irreversible(
        "结束评价", "evaluation/evaluation_detail.html", "{% url 'evaluation:evaluation-close'"
    ),
    "evaluation:panel-remove": Irreversible(
        "移出评审专家", "evaluation/evaluation_detail.html", "{% url 'evaluation:panel-remove'"
    ),
    "evaluation:evaluation-demonstration": Irreversible(
        "确定/取消示范项目", "evaluation/evaluation_detail.html", "{% url 'evaluation:evaluation-demonstration'"
    ),
    "evaluation:review-decide": Irreversible(
        "维持/撤销称号", "evaluation/review_detail.html", "{% url 'evaluation:review-decide'"
    ),
    # pilots
    "pilots:pilot-action#submit": Irreversible("提交试点申报评审", "pilots/pilot_detail.html", "'submit' %}"),
    "pilots:pilot-action#resubmit": Irreversible("修改后重新申报试点", "pilots/pilot_detail.html", "'resubmit' %}"),
    "pilots:pilot-action#opinion": Irreversible("提交试点评审意见", "pilots/pilot_detail.html", "'opinion' %}"),
    "pilots:pilot-action#decide": Irreversible("作出试点评审结论", "pilots/pilot_detail.html", "'decide' %}"),
    "pilots:pilot-action#milestone": Irreversible("登记试点节点", "pilots/pilot_detail.html", "'milestone' %}"),
    "pilots:pilot-action#check": Irreversible("登记试点定期检查", "pilots/pilot_detail.html", "'check' %}"),
    "pilots:pilot-action#acceptance": Irreversible(
        "登记绿色建造专项评估验收", "pilots/pilot_detail.html", "'acceptance' %}"
    ),
    # projects
    "projects:report-action#submit": Irreversible(
        "报送项目月报", "projects/report_detail.html", "{% url 'projects:report-action' r.pk 'submit'"
    ),
    "projects:report-action#accept": Irreversible(
        "接收项目月报", "projects/report_detail.html", "{% url 'projects:report-action' r.pk 'accept'"
    ),
    "projects:report-action#return": Irreversible(
        "退回项目月报", "projects/report_detail.html", "{% url 'projects:report-action' r.pk 'return'"
    ),
    # assessment
    "assessment:submission-check": Irreversible(
        "报送市局（县局月度考评，报送前检查页）",
        "assessment/submission_check.html",
        'data-testid="submit-month"',
    ),
    "assessment:submission-return": Irreversible(
        "退回县局考评", "assessment/submission_detail.html", "{% url 'assessment:submission-return'", server=True
    ),
    "assessment:submission-approve": Irreversible(
        "审核通过", "assessment/submission_detail.html", "{% url 'assessment:submission-approve'"
    ),
    "assessment:submission-publish": Irreversible(
        "发布考评得分", "assessment/submission_detail.html", "{% url 'assessment:submission-publish'"
    ),
    "assessment:publish-month": Irreversible(
        "发布本月考评", "assessment/ranking.html", "{% url 'assessment:publish-month'"
    ),
    "assessment:submission-reopen": Irreversible(
        "重新打开考评", "assessment/submission_detail.html", "{% url 'assessment:submission-reopen'", server=True
    ),
    "assessment:submission-paper-deduction": Irreversible(
        "纸质报送扣分", "assessment/submission_detail.html", "{% url 'assessment:submission-paper-deduction'"
    ),
    "assessment:paper-acceptance-withdraw": Irreversible(
        "撤回纸质材料认定", "assessment/submission_detail.html", "{% url 'assessment:paper-acceptance-withdraw'"
    ),
    "assessment:adjustment-delete": Irreversible(
        "删除加减分", "assessment/submission_detail.html", "{% url 'assessment:adjustment-delete'"
    ),
    "assessment:evidence-delete": Irreversible(
        "删除印证材料", "assessment/_evidence_list.html", "{% url 'assessment:evidence-delete'"
    ),
    # inspections
    "inspections:plan-lock": Irreversible(
        "锁定并公示抽取方案", "inspections/plan_detail.html", "{% url 'inspections:plan-lock'"
    ),
    "inspections:plan-draw-confirm": Irreversible(
        "双随机抽取", "inspections/plan_draw_confirm.html", "{% url 'inspections:plan-draw-confirm'", server=True
    ),
    "inspections:plan-cancel": Irreversible(
        "作废抽取方案", "inspections/plan_detail.html", "{% url 'inspections:plan-cancel'"
    ),
    "inspections:finding-create": Irreversible(
        "记录问题并下达整改通知单", "inspections/inspection_detail.html", "{% url 'inspections:finding-create'"
    ),
    "inspections:inspection-confirm": Irreversible(
        "确认检查结果并公开", "inspections/inspection_detail.html", "{% url 'inspections:inspection-confirm'"
    ),
    "inspections:notice-answer": Irreversible(
        "提交整改回复", "inspections/notice_detail.html", "{% url 'inspections:notice-answer'"
    ),
    "inspections:notice-paper-answer": Irreversible(
        "代录整改回复", "inspections/notice_detail.html", "{% url 'inspections:notice-paper-answer'"
    ),
    "inspections:notice-close": Irreversible(
        "办结销号", "inspections/notice_detail.html", "{% url 'inspections:notice-close'", server=True
    ),
    "inspections:notice-return": Irreversible(
        "退回重新整改", "inspections/notice_detail.html", "{% url 'inspections:notice-return'", server=True
    ),
    "inspections:notice-escalate": Irreversible(
        "认定逾期未整改", "inspections/notice_detail.html", "{% url 'inspections:notice-escalate'", server=True
    ),
    "inspections:notice-penalty": Irreversible(
        "登记行政处罚", "inspections/notice_detail.html", "{% url 'inspections:notice-penalty'", server=True
    ),
    # complaints
    "complaints:action#targeted": Irreversible(
        "发起专项检查", "complaints/detail.html", "{% url 'complaints:action' c.pk 'targeted'"
    ),
    "complaints:action#reject": Irreversible(
        "不予受理", "complaints/detail.html", "{% url 'complaints:action' c.pk 'reject'", server=True
    ),
    "complaints:action#close": Irreversible(
        "办结投诉", "complaints/detail.html", "{% url 'complaints:action' c.pk 'close'", server=True
    ),
    "complaints:action#extension-decide": Irreversible(
        "批准/驳回延期", "complaints/detail.html", "{% url 'complaints:action' c.pk 'extension-decide'"
    ),
    "complaints:action#reopen": Irreversible(
        "重新办理", "complaints/detail.html", "{% url 'complaints:action' c.pk 'reopen'", server=True
    ),
    # awards, credit, disclosure
    "awards:danhe-detail#confirm": Irreversible("确认单合评选结果", "awards/danhe_detail.html", 'value="confirm"'),
    "credit:appeal-detail": Irreversible("处理信用申诉", "credit/appeal_detail.html", 'data-testid="decision-form"'),
    "credit:rule-edit": Irreversible("发布信用规则新版本", "credit/rule_form.html", 'data-testid="rule-form"'),
    "disclosure:publish#withdraw": Irreversible("撤销公示", "disclosure/manage_list.html", 'value="withdraw"'),
    # accounts
    "accounts:enterprise-merge": Irreversible(
        "合并重复单位", "accounts/enterprise_merge.html", 'data-testid="merge-form"'
    ),
    "accounts:user-deactivate": Irreversible(
        "停用账户", "accounts/user_detail.html", "{% url 'accounts:user-deactivate'"
    ),
    "accounts:token-revoke": Irreversible(
        "吊销 API 令牌", "accounts/token_list.html", "{% url 'accounts:token-revoke'"
    ),
    "accounts:registration-decide#approve": Irreversible(
        "批准注册申请", "accounts/registration_detail.html", "'approve'"
    ),
    "accounts:registration-decide#refuse": Irreversible(
        "拒绝注册申请", "accounts/registration_detail.html", "'refuse'"
    ),
}

# POSTs that change nothing for good: drafts and edits that can be edited again, filters, sign-in/out, starting a
# form, toggles that toggle back, and public forms whose sender has nothing to undo.
REVERSIBLE: dict[str, str] = {
    "login": "登录",
    "logout": "退出",
    "projects:index": "重定向（不写入）",
    "accounts:enterprise-create": "新建单位（可编辑）",
    "accounts:enterprise-update": "编辑单位",
    "accounts:user-create": "新建用户（可编辑、停用）",
    "accounts:user-update": "编辑用户",
    "accounts:user-reactivate": "重新启用（可再停用）",
    "accounts:user-password-link": "签发设置密码链接（可再签发）",
    "accounts:set-password": "设置本人密码",
    "accounts:password-change": "修改本人密码",
    "accounts:tokens": "新建 API 令牌",
    "accounts:register": "公众注册申请（市局审核）",
    "accounts:register-status": "查询注册进度",
    "projects:project-create": "新建项目（可编辑）",
    "projects:project-update": "编辑项目",
    "projects:stage-change": "变更建设阶段（可再变更）",
    "projects:participant-create": "新增参建单位",
    "projects:participant-update": "编辑参建单位",
    "projects:constraint-create": "登记约束记录（状态可变更）",
    "projects:constraint-status": "变更约束记录状态",
    "projects:milestone-set": "登记形象进度节点日期（可再修改）",
    "projects:goal-rule-create": "新增项目目标规则（可编辑）",
    "projects:goal-rule-update": "编辑项目目标规则（留变更记录）",
    "projects:report-create": "新建月报草稿",
    "projects:report-import": "导入月报草稿",
    "projects:report-update": "编辑月报草稿",
    "evaluation:evaluation-create": "发起评价（评价中可调整）",
    "evaluation:panel-add": "增加评审专家",
    "evaluation:my-sheet#save": "保存评分草稿",
    "evaluation:template-edit": "编辑评价标准（另存新版本）",
    "evaluation:veto-toggle": "启用/停用否决项",
    "evaluation:library-add": "纳入项目库",
    "awards:award-value-create": "登记奖项分值（新版本）",
    "awards:record-create": "登记奖励记录",
    "awards:danhe-start": "发起单合评选",
    "awards:danhe-detail#save": "保存评分",
    "awards:danhe-detail#refresh": "刷新候选项目",
    "awards:savings-create": "登记节约奖",
    "awards:design-create": "登记设计奖",
    "assessment:submission-start": "开始填报",
    "assessment:submission-edit#save": "保存考评草稿",
    "assessment:submission-preview": "预览得分（不保存）",
    "assessment:submission-prefill": "由月报预填（原值保留在变更记录）",
    "assessment:evidence-upload": "上传印证材料（可删除）",
    "assessment:submission-adjust": "登记加减分（可删除）",
    "assessment:submission-manual-score": "登记人工评分（审核前可改）",
    "assessment:submission-paper": "登记纸质报送（可撤回）",
    "assessment:submission-paper-accept": "认定纸质材料（可撤回）",
    "assessment:exception-list": "登记例外（可改）",
    "assessment:years": "年度设置（发布前可改）",
    "notifications:list": "标记已读",
    "notifications:preferences": "通知设置",
    "reports:list": "生成报表",
    "disclosure:publish#publish": "公示/保存公示信息（可撤销）",
    "complaints:public-new": "公众投诉（受理前可撤回）",
    "complaints:public-status": "查询办理进度",
    "complaints:public-visit": "投诉人回访评价",
    "complaints:enter": "代录投诉",
    "complaints:contact": "查看联系方式（记录查看）",
    "complaints:action#assign": "分派",
    "complaints:action#accept": "受理",
    "complaints:action#investigate": "开始核查",
    "complaints:action#reassign": "改派",
    "complaints:action#extend": "申请延期（待批准）",
    "complaints:action#visit": "登记回访",
    "complaints:calendar": "工作日历",
    "complaints:categories": "投诉类别",
    "inspections:plan-create": "新建抽取方案（锁定前可改）",
    "inspections:plan-draw": "抽取预览（确认页再抽取）",
    "inspections:inspection-record": "检查记录（确认前可改）",
    "inspections:a1-fact": "A1 事实认定（可再认定）",
    "credit:appeal-create": "提出信用申诉",
    "pilots:pilot-apply": "保存试点申报（提交评审前不送出）",
    "pilots:pilot-action#assign": "指派试点评审专家（可增派）",
}


def url_names(keys) -> set[str]:
    return {key.split("#", 1)[0] for key in keys}
