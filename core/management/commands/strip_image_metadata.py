from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand

from core.images import CONTENT_TYPES, STORED_IMAGE_MODELS, strip_stored

OUTCOMES = (("cleaned", "已去除元数据"), ("clean", "本无元数据"), ("missing", "文件缺失"), ("refused", "无法处理"))


class Command(BaseCommand):
    help = (
        "将已保存的图片（投诉照片、检查取证照片、印证材料中的 JPG/PNG）就地重新编码，去除 EXIF（含 GPS 位置）、XMP、"
        "文本等元数据；已无元数据的图片不改动，可重复运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计，不改写文件")

    def handle(self, *args, dry_run=False, **options):
        totals = Counter()
        for app_label, model_name in STORED_IMAGE_MODELS:
            model = apps.get_model(app_label, model_name)
            counts = Counter()
            for record in model.objects.filter(content_type__in=CONTENT_TYPES).order_by("pk").iterator():
                outcome = strip_stored(record, dry_run=dry_run)
                counts[outcome] += 1
                if outcome in ("missing", "refused"):
                    self.stderr.write(
                        f"{model._meta.verbose_name} #{record.pk}（{record.file.name}）：{dict(OUTCOMES)[outcome]}"
                    )
            totals.update(counts)
            self.stdout.write(f"{model._meta.verbose_name}：{self._summary(counts)}")
        prefix = "（试运行，未改写）" if dry_run else ""
        self.stdout.write(self.style.SUCCESS(f"图片元数据清理完成{prefix}：{self._summary(totals)}"))

    @staticmethod
    def _summary(counts: Counter) -> str:
        return f"共 {sum(counts.values())} 张，" + "，".join(f"{label} {counts[key]} 张" for key, label in OUTCOMES)
