import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from credit import services
from credit.models import CreditEntry, CreditStanding


class Command(BaseCommand):
    help = "按现有数据重建诚信档案记录并重算信用分（首次部署诚信档案、批量导入数据后运行；可重复运行）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="以指定日期（YYYY-MM-DD）为计算日，默认今天。")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="只在还没有任何信用记录时运行（部署启动脚本用：升级到含诚信档案的版本后首次启动时建档）。",
        )

    def handle(self, *args, **options):
        day = None
        if options.get("today"):
            try:
                day = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期。")
        if options["if_empty"] and (CreditEntry.objects.exists() or CreditStanding.objects.exists()):
            self.stdout.write("诚信档案已建立，跳过。")
            return
        changed = services.reconcile(day)
        self.stdout.write(f"诚信档案：{changed} 家单位的信用记录有变化，信用分已重算。")
