"""Seed 000 六(一)3: the 30 % savings bonus goes to the 工程总承包单位 (EPC) only; stored rows fixed."""

from django.db import migrations, models


VOID_REASON = "施工总承包单位不在节约奖励范围内（只奖励监理单位5%、工程总承包单位30%），此前登记的奖励作废。"


def fix_stored_rows(apps, schema_editor):
    """Rows stored as "总承包单位（30%）": an EPC participant of the project keeps its bonus as ``epc``; a
    施工总承包 firm's row is voided with the reason (kept, not deleted: the amount was confirmed and may be paid)."""
    SavingsBonus = apps.get_model("awards", "SavingsBonus")
    Participant = apps.get_model("projects", "Participant")
    for bonus in SavingsBonus.objects.filter(proposer_kind="contractor", void_reason=""):
        is_epc = Participant.objects.filter(
            project_id=bonus.project_id, enterprise_id=bonus.recipient_id, role="epc"
        ).exists()
        if is_epc:
            bonus.proposer_kind = "epc"
            bonus.save(update_fields=["proposer_kind"])
        else:
            bonus.void_reason = VOID_REASON
            bonus.save(update_fields=["void_reason"])


def unfix(apps, schema_editor):
    SavingsBonus = apps.get_model("awards", "SavingsBonus")
    SavingsBonus.objects.filter(proposer_kind="epc").update(proposer_kind="contractor")


class Migration(migrations.Migration):

    dependencies = [
        ('awards', '0002_list_order_indexes'),
        ('projects', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='savingsbonus',
            name='void_reason',
            field=models.CharField(blank=True, default='', max_length=200, verbose_name='作废原因'),
        ),
        migrations.AlterField(
            model_name='savingsbonus',
            name='proposer_kind',
            field=models.CharField(choices=[('supervisor', '监理单位（5%）'), ('epc', '工程总承包单位（EPC，30%）'), ('contractor', '施工总承包单位（不予奖励）')], max_length=20, verbose_name='提出单位类别'),
        ),
        migrations.RunPython(fix_stored_rows, unfix),
    ]
