# The submission notice task moved from reports.tasks to assessment.tasks: notices still waiting in the outbox
# are sent under the new name (and back, if this migration is reversed).

from django.db import migrations

OLD, NEW = "reports.tasks.notify_submission_event", "assessment.tasks.notify_submission_event"


def forwards(apps, schema_editor):
    apps.get_model("core", "OutboxMessage").objects.filter(task=OLD, sent_at__isnull=True).update(task=NEW)


def backwards(apps, schema_editor):
    apps.get_model("core", "OutboxMessage").objects.filter(task=NEW, sent_at__isnull=True).update(task=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
