from django.db import migrations

KINDS = [
    ("builder", "建设单位"),
    ("survey", "勘察单位"),
    ("design", "设计单位"),
    ("contractor", "施工总承包单位"),
    ("epc", "工程总承包单位(EPC)"),
    ("supervisor", "监理单位"),
    ("consultant", "全过程咨询单位"),
]


def add_kinds(apps, schema_editor):
    EnterpriseKind = apps.get_model("accounts", "EnterpriseKind")
    for code, name in KINDS:
        EnterpriseKind.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(add_kinds, migrations.RunPython.noop)]
