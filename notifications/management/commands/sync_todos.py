from django.core.management.base import BaseCommand
from django.db import transaction

from notifications.services import sync_all_todos


class Command(BaseCommand):
    help = "按当前数据状态补建待办事项（首次部署待办功能后运行一次；可重复运行）。"

    def handle(self, *args, **options):
        with transaction.atomic():
            opened = sync_all_todos()
        for name, count in opened.items():
            self.stdout.write(f"{name}：新建待办 {count} 项")
