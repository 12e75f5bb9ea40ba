from django.db import migrations


def forwards(apps, schema_editor):
    from inspections.checklists import TEMPLATES, items

    Template = apps.get_model("inspections", "ChecklistTemplate")
    for code, name, entries in TEMPLATES:
        if not Template.objects.filter(code=code).exists():
            Template.objects.create(code=code, name=name, version=1, items=items(entries), active=True)
    VetoItem = apps.get_model("evaluation", "VetoItem")
    VetoItem.objects.get_or_create(
        kind="overdue_finding",
        defaults={
            "name": "“双随机”检查发现问题逾期未整改",
            "description": "“双随机、一公开”检查下达的整改通知单已过整改期限仍未整改销号。",
            "order": 5,
        },
    )


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial"), ("evaluation", "0002_alter_vetoitem_kind")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
