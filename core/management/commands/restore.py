from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "从 backup 生成的档案恢复数据库与媒体文件：先校验清单中的全部校验和（损坏的档案不做任何更改），"
        "恢复后重新统计各表行数、重新计算文件校验和并与清单比对，不一致时以非零状态退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="backup 生成的 .tar.gz 档案")
        parser.add_argument("--force", action="store_true", help="覆盖非空的数据库和媒体目录")

    def handle(self, *args, **options):
        try:
            result = restore_backup(options["archive"], force=options["force"], log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc))
        db, media = result.manifest["database"], result.manifest["media"]
        tables = len(set(db["tables"]))
        self.stdout.write(
            f"核对数据表：{tables} 张，行数一致 {tables - len(result.table_mismatches)} 张，"
            f"不一致 {len(result.table_mismatches)} 张"
        )
        for table, expected, actual in result.table_mismatches:
            self.stdout.write(f"  {table}：备份中{_n(expected)}，恢复后{_n(actual)}")
        self.stdout.write(
            f"核对媒体文件：{media['count']} 个，一致 {media['count'] - sum(1 for _, why in result.media_mismatches if why != '备份中没有')} 个，"
            f"不一致 {len(result.media_mismatches)} 处"
        )
        for rel, why in result.media_mismatches:
            self.stdout.write(f"  {rel}：{why}")
        if result.pending_migrations:
            self.stdout.write(
                f"提示：本程序比备份多 {len(result.pending_migrations)} 个数据库迁移，请运行 python manage.py migrate。"
            )
        if not result.ok:
            raise CommandError("恢复后的数据与备份清单不一致，请检查上面列出的差异。")
        self.stdout.write(self.style.SUCCESS(f"恢复完成，数据与备份清单一致（用时 {result.seconds:.1f} 秒）。"))


def _n(value):
    return "无此表" if value is None else f" {value} 行"
