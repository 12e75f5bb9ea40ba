from django.core.management.base import BaseCommand

from core import seeding


class Command(BaseCommand):
    help = "载入基础数据（区域、考评细则、奖项目录、评价模板等），可重复执行。"

    def handle(self, *args, **options):
        seeding.run("seed_reference", self.stdout)
        self.stdout.write(self.style.SUCCESS("基础数据已就绪。"))
