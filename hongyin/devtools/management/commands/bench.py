"""`python manage.py bench`: the benchmarks of BENCH.md against a cached data set per scale."""

import warnings
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hongyin.devtools.bench import harness


class Command(BaseCommand):
    help = "Run the benchmarks (BENCH.md) against the cached data set of a scale; print a table, optionally JSON."
    requires_system_checks = []  # the database is switched before anything connects
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=harness.SCALES, default="zone")
        parser.add_argument("--only", default="", help="NAME[,NAME]: run only these benchmarks")
        parser.add_argument("--json", dest="json_path", default="", metavar="FILE", help="write the rows as JSON")
        parser.add_argument("--rebuild", action="store_true", help="rebuild the data set even if it is current")
        parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")

    def handle(self, *args, scale, only, json_path, rebuild, list: bool, **options):
        warnings.filterwarnings("ignore", message="No directory at")  # var/static before collectstatic
        try:
            benchmarks, broken = harness.load_benchmarks()
            if list:
                for b in benchmarks:
                    self.stdout.write(f"{b.name:<40} {b.unit:<10} better={b.better} target={b.target}")
                return
            chosen = harness.select(benchmarks, only)
            db = harness.use_data_set(scale)
            harness.prepare(scale, db, rebuild=rebuild, log=lambda m: self.stderr.write(m))
        except harness.HarnessError as exc:
            raise CommandError(str(exc))

        self.stdout.write(f"bench  scale={scale}  db={db}  benchmarks={len(chosen)}")
        header = f"{'name':<44} {'value':>12} {'unit':<9} {'target':>9}  ok?"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))

        def show(row):
            value = "null" if row.value is None else f"{row.value:g}"
            target = "" if row.target is None else f"{row.target:g}"
            line = f"{row.name:<44} {value:>12} {row.unit:<9} {target:>9}  {harness.ok(row)}"
            if row.note:
                line += f"  ({row.note})"
            self.stdout.write(line)

        for row in broken if not only else []:
            show(row)
        rows = harness.run(chosen, scale, db, on_row=show)
        if not only:
            rows = broken + rows
        if json_path:
            harness.write_json(rows, scale, db, Path(json_path))
            self.stdout.write(f"wrote {len(rows)} rows to {json_path}")
