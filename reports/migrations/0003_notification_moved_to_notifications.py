# Notification now belongs to the notifications app (notifications.0001 takes over the same table with its rows):
# the reports app forgets the model without touching the database.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_archive_heartbeat_and_enqueued"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Notification")],
            database_operations=[],
        ),
    ]
