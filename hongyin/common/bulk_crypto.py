"""Encrypting and decrypting the SM4 columns of big imports and exports in a worker process.

SM4-GCM costs about 10 µs a value in Python, tag included; the export of 50,000 members decrypts 100,000 values
and the import encrypts as many, a second of one core. Past the first batches the work goes to a forked worker
process, so that it overlaps with reading and writing on the other core. Small jobs never fork; where fork is not
available, or a worker fails, the values are handled in this process. Only the column values go to the worker
and back: the worker never touches the database. Nonces come from os.urandom, fresh in every process.
"""

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from .crypto import sm4_decrypt_many, sm4_encrypt_many

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


def can_fork() -> bool:
    """A second core and fork: the condition for every piece of work handed to a forked copy of this process."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _start_pool():
    if not can_fork():
        return None
    try:
        return multiprocessing.get_context("fork").Pool(min(3, (os.cpu_count() or 2) - 1))
    except OSError:  # no more processes allowed, no memory: the work is done here
        log.warning("could not start a worker process; working in this process", exc_info=True)
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


def _encrypt(plaintext_columns: list[list[str]]) -> list[list[str]]:
    return [sm4_encrypt_many(column) for column in plaintext_columns]


class ColumnEncryptor:
    """sm4_encrypt_many for a few columns at a time, in a worker once `parallel_after` values have gone by:
    `submit(columns)` returns at once, `tokens(handle)` waits for that batch. Use it as a context manager."""

    def __init__(self, parallel_after: int = 2000):
        self.parallel_after, self.seen, self.pool, self.started = parallel_after, 0, None, False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.pool is not None:
            self.pool.terminate()

    def submit(self, plaintext_columns: list[list[str]]):
        if not self.started and self.seen >= self.parallel_after:
            self.pool, self.started = _start_pool(), True
        self.seen += sum(len(column) for column in plaintext_columns)
        if self.pool is None:
            return plaintext_columns, _encrypt(plaintext_columns)
        return plaintext_columns, self.pool.apply_async(_encrypt, (plaintext_columns,))

    def tokens(self, handle) -> list[list[str]]:
        plaintext_columns, result = handle
        if isinstance(result, list):
            return result
        try:
            return result.get(timeout=WORKER_TIMEOUT_S)
        except Exception:  # the worker died or hangs: encrypt here
            log.warning("encryption worker failed; encrypting in this process", exc_info=True)
            return _encrypt(plaintext_columns)
