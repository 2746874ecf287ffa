"""Archive audit events older than the retention period to a JSON-lines file, leaving a checkpoint.

The retention period (HONGYIN_AUDIT_RETENTION_DAYS) is at least 180 days (网络安全法 art. 21); a shorter one is
refused. Nothing is deleted without being written to the archive file first.
"""

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hongyin.audit.services import archive_before

MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = "Move audit events older than the retention period to an archive file (the chain still verifies)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override the retention (>= 180)")
        parser.add_argument("--dir", default=None, help="archive folder (default PRIVATE_MEDIA_ROOT/audit-archive)")

    def handle(self, *args, days=None, dir=None, **options):
        days = days if days is not None else settings.HONGYIN_AUDIT_RETENTION_DAYS
        if days < MINIMUM_DAYS:
            raise CommandError(f"retention must be at least {MINIMUM_DAYS} days (got {days})")
        directory = Path(dir) if dir else Path(settings.PRIVATE_MEDIA_ROOT) / "audit-archive"
        try:
            checkpoint = archive_before(cutoff=timezone.now() - timedelta(days=days), directory=directory)
        except ValueError as exc:
            raise CommandError(str(exc))
        if checkpoint is None:
            self.stdout.write(f"nothing older than {days} days")
        else:
            self.stdout.write(f"archived {checkpoint.events} events to {checkpoint.file} (sm3 {checkpoint.file_sm3})")
