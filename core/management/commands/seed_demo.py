import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core import seeding


class Command(BaseCommand):
    help = (
        "载入演示数据（含基础数据），以今天为准（上一整年已发布，本年截至本月），可重复执行；结束时打印演示账号和密码。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="以指定日期（YYYY-MM-DD）为“今天”生成演示数据，便于复现；不能晚于实际日期。",
        )

    def handle(self, *args, **options):
        today = None
        if options.get("today"):
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today 应为 YYYY-MM-DD 格式的日期，如 2026-12-01。")
            if today > timezone.localdate():
                raise CommandError("--today 不能晚于今天：未来月份的考评不能填报。")
        # an earlier day: the clock stands on that day while the demo is built (created_at … belong to it)
        with seeding.clock_at(today):
            seeding.run("seed_reference", self.stdout)
            seeding.run("seed_demo", self.stdout, today=today)
            seeding.summarise(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
