from django.core.management.base import BaseCommand

from core import seeding


class Command(BaseCommand):
    help = "载入演示数据（含基础数据），可重复执行；结束时打印演示账号和密码。"

    def handle(self, *args, **options):
        seeding.run("seed_reference", self.stdout)
        seeding.run("seed_demo", self.stdout)
        from accounts.seed import print_demo_users

        print_demo_users(self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))
