"""Back up the database with a verification manifest (row counts and SM3 checksums per table)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from hongyin.common.backup import backup


class Command(BaseCommand):
    help = "Back up the database (SQLite online backup / pg_dump) and write a manifest for verification."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=None, help="backup file (default var/backups/hongyin-<time>.db)")

    def handle(self, *args, output=None, **options):
        path = (
            Path(output)
            if output
            else Path(settings.VAR_DIR) / "backups" / f"hongyin-{timezone.now():%Y%m%d-%H%M%S}.db"
        )
        manifest = backup(path)
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(f"backup {path}: {len(manifest['tables'])} tables, {rows} rows, sm3 {manifest['file_sm3']}")
