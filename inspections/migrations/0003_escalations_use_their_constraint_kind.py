"""Constraint records made by escalating a rectification notice before the kind existed get it now."""

from django.db import migrations


def forwards(apps, schema_editor):
    ConstraintRecord = apps.get_model("projects", "ConstraintRecord")
    RectificationNotice = apps.get_model("inspections", "RectificationNotice")
    escalated = RectificationNotice.objects.exclude(constraint_record=None).values("constraint_record_id")
    ConstraintRecord.objects.filter(pk__in=escalated, kind="other").update(kind="inspection_overdue")


def backwards(apps, schema_editor):
    ConstraintRecord = apps.get_model("projects", "ConstraintRecord")
    ConstraintRecord.objects.filter(kind="inspection_overdue").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0002_reference_data"),
        ("projects", "0010_constraint_kind_inspection_overdue"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
