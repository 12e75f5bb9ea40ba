from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, create_backup, human_size


class Command(BaseCommand):
    help = (
        "备份数据库与媒体文件（印证材料、报表档案）为一个 .tar.gz 档案，内含清单 manifest.json"
        "（版本与迁移、各表行数、每个文件的大小与 sha256）。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            help="目标目录（已存在或以 / 结尾）或文件名；默认 backups/jingpin-backup-<UTC时间>.tar.gz",
        )
        parser.add_argument("--keep", type=int, help="只保留该目录中最新的 N 份备份，更早的删除")

    def handle(self, *args, **options):
        try:
            result = create_backup(options.get("output"), keep=options.get("keep"))
        except BackupError as exc:
            raise CommandError(str(exc))
        db, media = result.manifest["database"], result.manifest["media"]
        self.stdout.write(
            f"数据库（{db['engine']}）：{len(db['tables'])} 张表，{db['total_rows']} 行，导出 {human_size(db['size'])}"
        )
        self.stdout.write(f"媒体文件：{media['count']} 个，{human_size(media['bytes'])}")
        for path in result.removed:
            self.stdout.write(f"已删除旧备份：{path}")
        self.stdout.write(
            self.style.SUCCESS(f"备份完成：{result.path}（{human_size(result.size)}，用时 {result.seconds:.1f} 秒）")
        )
