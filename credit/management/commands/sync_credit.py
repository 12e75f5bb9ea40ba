import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from credit import services


class Command(BaseCommand):
    help = "按现有数据重建诚信档案记录并重算信用分（首次部署诚信档案、批量导入数据后运行；可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="以指定日期（YYYY-MM-DD）为计算日，默认今天。")

    def handle(self, *args, **options):
        day = None
        if options.get("today"):
            try:
                day = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。")
        changed = services.reconcile(day)
        self.stdout.write(f"诚信档案：{changed} 家单位的信用记录有变化，信用分已重算。")
