"""Roster imports now run on the one import pipeline (hongyin.imports); this keeps the older entry point that
tests and scripts call: `import_file(actor=, path=, kind="members"|"orgs", dry_run=, out_dir=)`."""

from pathlib import Path

from hongyin.imports.pipeline import upload_root  # noqa: F401  the older import path of the upload folder


def import_file(
    *, actor, path: Path, kind: str, dry_run: bool, progress=None, out_dir: Path | None = None, target=None
):
    """Run one import; returns (result, error report path or None)."""
    from hongyin.imports.pipeline import import_file as run
    from hongyin.imports.registry import get_kind

    return run(
        actor=actor,
        kind=get_kind(kind),
        path=path,
        dry_run=dry_run,
        target=target,
        progress=progress,
        out_dir=out_dir,
        anywhere=out_dir is not None,
    )
