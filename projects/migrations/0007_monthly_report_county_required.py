import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_enterprise_kinds"),
        ("projects", "0006_monthly_report_county"),
    ]

    operations = [
        migrations.AlterField(
            model_name="monthlyreport",
            name="county",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.region",
                verbose_name="县（市、区）",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyreport",
            index=models.Index(fields=["county", "-year", "-month", "project"], name="monthly_report_county_idx"),
        ),
    ]
