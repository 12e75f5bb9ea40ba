"""Version 1 of the credit rule: the default of SPEC §10 (credit/scoring.py DEFAULT_RULE)."""

import datetime as dt

from django.db import migrations

# Frozen here (not imported from credit.scoring): a migration keeps the meaning it had when it was written.
DEFAULT_RULE = {
    "base": "100",
    "grades": {
        "A": "105",
        "B": "90",
        "C": "75"
    },
    "behaviours": {
        "award": {
            "points": "catalogue",
            "months": 36
        },
        "demonstration": {
            "points": "3",
            "months": 36
        },
        "jingpin": {
            "points": "2",
            "months": 36
        },
        "green_pilot": {
            "points": "1",
            "months": 36
        },
        "on_time_rectification": {
            "points": "0",
            "months": 36
        },
        "constraint_minor": {
            "points": "-2",
            "months": 12
        },
        "constraint_serious": {
            "points": "-5",
            "months": 12
        },
        "constraint_major": {
            "points": "-10",
            "months": 24
        },
        "notice_escalated": {
            "points": "-3",
            "months": 12
        },
        "penalty": {
            "points": "-5",
            "months": 12
        },
        "complaint": {
            "points": "-1",
            "months": 12
        },
        "insurance": {
            "points": "0",
            "months": 12
        }
    },
    "constraint_severity": {
        "attendance": "minor",
        "affiliation": "major",
        "material": "serious",
        "major_change": None,
        "quality_accident": "serious",
        "safety_accident": "serious",
        "inspection_overdue": "minor",
        "other": "minor"
    },
    "expelled_severity": "major"
}


def create_default_rule(apps, schema_editor):
    CreditRule = apps.get_model("credit", "CreditRule")
    if not CreditRule.objects.exists():
        CreditRule.objects.create(
            version=1,
            effective_from=dt.date(2022, 1, 1),
            data=DEFAULT_RULE,
            change_note="默认规则：基础分100分；良好行为按奖项目录积分及示范项目3分、精品工程2分、绿色建造试点1分加分，"
            "有效期3年；不良行为按约束记录一般2分/较重5分/严重10分、逾期未整改3分、行政处罚5分、投诉查实1分扣分，"
            "有效期1年（严重2年）；A级≥105分，B级≥90分，C级≥75分，D级低于75分。",
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(create_default_rule, migrations.RunPython.noop)]
