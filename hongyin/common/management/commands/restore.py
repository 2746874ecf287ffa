"""Restore a backup into a FRESH database and verify every table's row count and checksum."""

from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from hongyin.common.backup import restore_postgresql, restore_sqlite


class Command(BaseCommand):
    help = "Restore a backup into a new database (never over a live one) and verify it against its manifest."

    def add_arguments(self, parser):
        parser.add_argument("backup_file")
        parser.add_argument(
            "--target",
            required=True,
            help="a new SQLite file path, or a postgres:// URL of an empty database",
        )

    def handle(self, *args, backup_file, target, **options):
        try:
            if target.startswith(("postgres://", "postgresql://")):
                problems = restore_postgresql(Path(backup_file), environ.Env.db_url_config(target))
            else:
                problems = restore_sqlite(Path(backup_file), Path(target))
        except FileExistsError as exc:
            raise CommandError(str(exc))
        if problems:
            raise CommandError("restore verification FAILED:\n  " + "\n  ".join(problems))
        self.stdout.write(self.style.SUCCESS(f"restored into {target}: every row count and checksum matches"))
