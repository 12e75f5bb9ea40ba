"""Every existing project gets its unpublished disclosure row (new ones get it on creation)."""

import secrets

from django.db import migrations


def create_rows(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    ProjectDisclosure = apps.get_model("disclosure", "ProjectDisclosure")
    existing = set(ProjectDisclosure.objects.values_list("project_id", flat=True))
    ProjectDisclosure.objects.bulk_create(
        [
            ProjectDisclosure(project_id=pk, public_id=secrets.token_urlsafe(12))
            for pk in Project.objects.exclude(pk__in=existing).values_list("pk", flat=True)
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_rows, migrations.RunPython.noop)]
