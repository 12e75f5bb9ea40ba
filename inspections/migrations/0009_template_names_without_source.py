"""A checklist template's name never says where it came from: “绿色建造试点项目检查表（种子文件003）” → “绿色建造试点项目检查表”
(the list is published as the 抽查事项清单). Names only; a used version's items stay frozen."""

import re

from django.db import migrations

SOURCE_NOTE = re.compile(r"\s*[（(]\s*(?:种子文件|种子|seed)\s*[0-9]*\s*[）)]", re.IGNORECASE)


def strip_source(apps, schema_editor):
    ChecklistTemplate = apps.get_model("inspections", "ChecklistTemplate")
    for template in ChecklistTemplate.objects.all():
        name = SOURCE_NOTE.sub("", template.name).strip()
        if name and name != template.name:
            template.name = name
            template.save(update_fields=["name"])


class Migration(migrations.Migration):
    dependencies = [("inspections", "0008_notice_rounds")]

    operations = [migrations.RunPython(strip_source, migrations.RunPython.noop)]
