"""Seal the committed events, then check the SM3 hash chain of the audit log; name the first broken link.

Exit status 1 when broken."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hongyin.audit.models import AuditCheckpoint
from hongyin.audit.services import unsealed_count, verify_archive_file, verify_chain


class Command(BaseCommand):
    help = "Verify the audit hash chain (and the archive files of its checkpoints with --archives)."

    def add_arguments(self, parser):
        parser.add_argument("--archives", action="store_true", help="also re-check every archive file")

    def handle(self, *args, archives=False, **options):
        if archives:
            for cp in AuditCheckpoint.objects.order_by("last_event_id"):
                if not Path(cp.file).exists():
                    raise CommandError(f"archive file missing: {cp.file}")
                rows, broken = verify_archive_file(Path(cp.file), expected_sm3=cp.file_sm3)
                if broken is not None:
                    where = "file digest differs" if broken == -1 else f"first broken link: event #{broken}"
                    raise CommandError(f"archive {cp.file}: {where}")
                self.stdout.write(f"archive {Path(cp.file).name}: {rows} events OK")
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"audit chain BROKEN after {checked} good events; first broken link: event #{broken.pk} "
                f"({broken.at:%Y-%m-%d %H:%M:%S} {broken.action} by {broken.actor_name or '-'})"
            )
        self.stdout.write(self.style.SUCCESS(f"audit chain OK: {checked} events verified"))
        pending = unsealed_count()
        if pending:
            self.stdout.write(f"{pending} events committed meanwhile are not sealed yet (run again to check them)")
