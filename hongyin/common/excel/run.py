"""Running an import: validate every row (in two processes for big files), report every error, commit
all or nothing."""

import contextlib
import gc
import itertools
import logging
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from django.db import connections, transaction
from django.utils.translation import gettext as _

from ..bulk_crypto import WORKER_TIMEOUT_S, can_fork
from ..errors import DomainError
from .reading import find_header, read_sheet
from .specs import Column, ImportResult, ImportSpec, RowError
from .values import (
    halfwidth,
)

log = logging.getLogger(__name__)

MAX_ERRORS_KEPT = 20_000
PARALLEL_FROM = 5_000  # rows: below, forking costs more than it saves
HEADER_SCAN_ROWS = 6


def _repeats(spec: ImportSpec, result: ImportResult) -> list[RowError]:
    """Each row whose unique_column value an earlier row holds, named against that earlier row."""
    errors = []
    first: dict[str, int] = {}
    label = spec.label_of(spec.unique_column)
    for key, row in result.unique_keys:
        if not key:
            continue
        seen = first.setdefault(key, row)
        if seen != row:
            errors.append(RowError(row, label, spec.unique_shown(key), _("与第 %(r)s 行重复。") % {"r": seen}))
    result.unique_keys = []
    return errors


def run_import(
    spec: ImportSpec,
    path: Path,
    *,
    dry_run: bool,
    progress: Callable | None = None,
    on_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Validate every row; commit everything (one transaction) only when no row has an error and not dry_run.
    `on_commit(result)` runs inside that transaction after the rows went in (the import's audit event)."""
    _unused, rows, height = read_sheet(Path(path))
    result = ImportResult(dry_run=dry_run)
    first_rows = []
    for row in rows:
        first_rows.append(row)
        if len(first_rows) >= HEADER_SCAN_ROWS:
            break
    header_index, mapped, result.ignored_columns = find_header(first_rows, spec.columns)
    total_rows = max(height - header_index - 1, 0)
    if progress:
        progress(0, total_rows * (1 if dry_run else 2))

    def data_rows():
        yield from enumerate(first_rows[header_index + 1 :], start=header_index + 2)
        yield from enumerate(rows, start=len(first_rows) + 1)

    validate = _Validator(spec, mapped)
    if spec.parallel_validation and total_rows >= PARALLEL_FROM and can_fork():
        cleaned = validate.in_two(data_rows(), total_rows // 2, result, progress)
    else:
        cleaned = validate(data_rows(), result, progress)
    if result.total == 0:
        raise DomainError(_("文件中没有数据行。"), field="file")
    for error in _repeats(spec, result):
        _add_error(result, error)
    for error in spec.check_all(cleaned):
        _add_error(result, error)
    bad_rows = {e.row for e in result.errors}
    result.valid = sum(1 for r, _o in cleaned if r not in bad_rows)
    result.preview = [spec.preview_row(obj) for _r, obj in cleaned[:20]]
    if progress:
        progress(result.total)
    if dry_run or result.error_count:
        return result
    with transaction.atomic():
        result.created = spec.commit(cleaned, (lambda n: progress(result.total + n)) if progress else None)
        if on_commit is not None:
            on_commit(result)
    return result


class _Validator:
    """Parse and clean rows: (excel row, object) for the good ones, a RowError per bad cell or row."""

    def __init__(self, spec: ImportSpec, mapped: dict[int, Column]):
        self.spec = spec
        self.items = [(index, column.key, column.parse, column) for index, column in mapped.items()]
        mapped_keys = {column.key for column in mapped.values()}
        self.defaults = {c.key: None if c.kind == "date" else "" for c in spec.columns if c.key not in mapped_keys}
        self.unique_at = next((i for i, c in mapped.items() if c.key == spec.unique_column), None)

    def __call__(self, numbered_rows: Iterable, result: ImportResult, progress: Callable | None) -> list:
        spec, items, defaults, unique_at = self.spec, self.items, self.defaults, self.unique_at
        keys = result.unique_keys
        cleaned = []
        for excel_row, row in numbered_rows:
            if not any(cell not in (None, "") for cell in row):
                continue
            result.total += 1
            if unique_at is not None and unique_at < len(row):
                keys.append((spec.unique_key(row[unique_at]), excel_row))
            values = dict(defaults)
            raw_by_key = {}
            bad = False
            width = len(row)
            for index, key, parse, column in items:
                raw = row[index] if index < width else None
                raw_by_key[key] = raw
                try:
                    values[key] = parse(raw)
                except ValueError as exc:
                    _add_error(result, RowError(excel_row, column.label, halfwidth(raw), str(exc)))
                    bad = True
            if bad:
                continue
            try:
                obj = spec.clean_row(values, excel_row)
            except DomainError as exc:
                raw = raw_by_key.get(exc.field, "")
                _add_error(result, RowError(excel_row, spec.label_of(exc.field), halfwidth(raw), exc.message))
                continue
            cleaned.append((excel_row, obj))
            if progress and result.total % 500 == 0:
                progress(result.total)
        return cleaned

    def in_two(self, numbered_rows: Iterator, half: int, result: ImportResult, progress: Callable | None) -> list:
        """The first `half` rows here, the rest at the same time in a forked copy of this process, which sends
        back its cleaned rows and errors. The copy may not touch the database (its connection is this process's);
        if it fails, the rest is validated here."""
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=self._second_half, args=(numbered_rows, half, send), daemon=True)
        gc.freeze()  # the copy's garbage collector leaves the inherited objects alone: no copy-on-write of the heap
        try:
            child.start()
        finally:
            gc.unfreeze()
        send.close()
        both = (lambda n: progress(2 * n)) if progress else None  # the copy goes as fast as this half
        cleaned = self(itertools.islice(numbered_rows, half), result, both)
        try:
            # a copy that hangs (a lock some other thread held at the fork) is given up, not waited for forever
            answer = receive.recv() if receive.poll(WORKER_TIMEOUT_S) else "no answer in time"
        except EOFError:
            answer = "the validation process ended without an answer"
        if child.is_alive() and isinstance(answer, str):
            child.kill()
        child.join()
        if isinstance(answer, str):
            log.warning("parallel validation failed (%s); validating the rest here", answer)
            return cleaned + self(numbered_rows, result, progress)
        their_cleaned, total, errors, error_count, their_keys = answer
        result.total += total
        result.unique_keys.extend(their_keys)
        for error in errors:
            _add_error(result, error)
        result.error_count += error_count - len(errors)
        return cleaned + their_cleaned

    def _second_half(self, numbered_rows: Iterator, half: int, send) -> None:
        try:
            for _skipped in itertools.islice(numbered_rows, half):
                pass
            result = ImportResult()
            with contextlib.ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_no_database_here))
                cleaned = self(numbered_rows, result, None)
            send.send((cleaned, result.total, result.errors, result.error_count, result.unique_keys))
        except BaseException as exc:  # anything: the parent validates the rest itself
            send.send(f"{type(exc).__name__}: {exc}")


def _no_database_here(execute, sql, params, many, context):
    raise RuntimeError("the validation process may not use the database connection of its parent")


def _add_error(result: ImportResult, error: RowError) -> None:
    result.error_count += 1
    if len(result.errors) < MAX_ERRORS_KEPT:
        result.errors.append(error)
