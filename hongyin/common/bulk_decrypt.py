"""Decrypting the encrypted columns of a big export in a worker process.

SM4-GCM costs about 10 µs a value in Python, tag check included; the export of 50,000 members decrypts 100,000
values, a second of one core. Past the first few batches the work goes to a forked worker process, so that it
overlaps with reading the database and writing the workbook on the other core. Small exports never fork; where
fork is not available, or a worker fails, the values are decrypted in this process. Nothing but ciphertext goes to
the worker and nothing but plaintext comes back: the worker never touches the database.
"""

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from .crypto import sm4_decrypt_many

log = logging.getLogger(__name__)

WORKER_TIMEOUT_S = 120


def plain_column(tokens: list, failed: str) -> list[str]:
    """Plaintexts of a column of tokens: "" for an empty one, `failed` for one that cannot be decrypted."""
    texts = sm4_decrypt_many([t for t in tokens if t])
    texts.reverse()
    return [(texts.pop() or failed) if t else "" for t in tokens]


def _decrypt(token_columns: list[list], failed: str) -> list[list[str]]:
    return [plain_column(tokens, failed) for tokens in token_columns]


def _token_columns(batch: list, columns: tuple[int, ...]) -> list[list]:
    return [[row[c] for row in batch] for c in columns]


def _start_pool():
    cpus = os.cpu_count() or 1
    if cpus < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    try:
        return multiprocessing.get_context("fork").Pool(min(3, cpus - 1))
    except OSError:  # no more processes allowed, no memory: decrypt here
        log.warning("could not start a decryption worker; decrypting in this process", exc_info=True)
        return None


def decrypt_batches(
    batches: Iterable[list], columns: tuple[int, ...], *, failed: str, parallel_after: int = 2000, ahead: int = 4
) -> Iterator[tuple[list, list[list[str]]]]:
    """For each batch of rows (tuples), in order: (batch, [plaintexts of each of `columns`]). Once
    `parallel_after` rows have gone by, batches are decrypted in a worker, up to `ahead` batches in advance."""
    pool, started, seen = None, False, 0
    pending: deque = deque()

    def finish(batch, result):
        try:
            return batch, result.get(timeout=WORKER_TIMEOUT_S)
        except Exception:  # the worker died or hangs: the rows are still exported, decrypted here
            log.warning("decryption worker failed; decrypting in this process", exc_info=True)
            return batch, _decrypt(_token_columns(batch, columns), failed)

    try:
        for batch in batches:
            if not started and seen >= parallel_after:
                pool, started = _start_pool(), True
            seen += len(batch)
            if pool is None:
                yield batch, _decrypt(_token_columns(batch, columns), failed)
                continue
            pending.append((batch, pool.apply_async(_decrypt, (_token_columns(batch, columns), failed))))
            while len(pending) > ahead:
                yield finish(*pending.popleft())
        while pending:
            yield finish(*pending.popleft())
    finally:
        if pool is not None:
            pool.terminate()
