# The Notification model moves here from the reports app with its table and rows: the table keeps its name
# (reports_notification), so this migration only tells Django's state; reports.0003 drops it from the reports state.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_archive_heartbeat_and_enqueued"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("event_key", models.CharField(max_length=150, verbose_name="事件键")),
                        ("title", models.CharField(max_length=200, verbose_name="标题")),
                        ("body", models.TextField(blank=True, verbose_name="内容")),
                        ("url", models.CharField(blank=True, max_length=300, verbose_name="链接")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="时间")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="已读时间")),
                        ("emailed", models.BooleanField(default=False, verbose_name="已发邮件")),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="接收人",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "通知",
                        "verbose_name_plural": "通知",
                        "db_table": "reports_notification",
                        "ordering": ["-created_at", "-pk"],
                        "constraints": [
                            models.UniqueConstraint(fields=("recipient", "event_key"), name="notification_once_per_event")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
