"""Progress of a demo build: one line per step with its name, the time it took and the rows it made."""

import time
from collections.abc import Callable
from contextlib import contextmanager

from django.apps import apps

SHOWN = 3  # the tables that grew most, per step


def _counts() -> dict[str, int]:
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("hongyin.") and not model._meta.proxy
    }


def _plural(label: str) -> str:
    return str(apps.get_model(label)._meta.verbose_name_plural)


class Steps:
    """`with steps("members"): ...` prints `  members  3.1 s  1,520 党员 · 1,520 党员档案变动 · ...` when the step
    ends, if a `write` function was given (nothing is counted otherwise)."""

    def __init__(self, write: Callable[[str], None] | None):
        self.write = write
        self.started = time.perf_counter()

    @contextmanager
    def __call__(self, name: str):
        if self.write is None:
            yield
            return
        before = _counts()
        started = time.perf_counter()
        yield
        took = time.perf_counter() - started
        after = _counts()
        grown = sorted(((after[k] - before.get(k, 0), k) for k in after), reverse=True)
        made = " · ".join(f"{n:,} {_plural(label)}" for n, label in grown[:SHOWN] if n > 0) or "nothing new"
        self.write(f"  {name:<14} {took:6.1f} s   {made}")

    def done(self) -> None:
        if self.write is not None:
            self.write(f"  {'total':<14} {time.perf_counter() - self.started:6.1f} s")
