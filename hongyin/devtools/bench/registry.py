"""Benchmarks register here. Each area adds a module hongyin/devtools/bench/<area>.py with functions like:

    @benchmark("member_list_p95_ms", unit="ms", better="lower", target=150)
    def member_list(ctx: BenchContext):
        return ctx.time_page("/members/?q=zhangwei", "zone_admin")   # -> Result with value + extra rows

A benchmark returns a float, or a Result (value plus extra rows such as the query count or the _x_floor ratio).
Raising Skip(note) writes the row with value null and the note.
"""

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class Skip(Exception):
    pass


@dataclass
class Row:
    name: str
    value: float | None
    unit: str
    better: str
    target: float | None = None
    note: str = ""


@dataclass
class Result:
    value: float
    extra: list[Row] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class Benchmark:
    name: str
    unit: str
    better: str
    target: float | None
    func: Callable
    order: int


BENCHMARKS: list[Benchmark] = []


def benchmark(name: str, *, unit: str, better: str = "lower", target: float | None = None, order: int = 50):
    assert better in ("lower", "higher")

    def decorator(func: Callable) -> Callable:
        if not any(b.name == name for b in BENCHMARKS):
            BENCHMARKS.append(Benchmark(name, unit, better, target, func, order))
        return func

    return decorator


class BenchContext:
    """What a benchmark gets: the scale, the database vendor, logged-in clients and a page timer."""

    def __init__(self, scale: str, db: str):
        self.scale = scale
        self.db = db
        self._clients: dict = {}
        self.floor_ms: float | None = None

    def client_for(self, username: str):
        if username not in self._clients:
            from django.test import Client

            from hongyin.devtools.sessions import login_as

            self._clients[username] = login_as(Client(), username)
        return self._clients[username]

    def time_page(
        self,
        url: str,
        username: str,
        *,
        name: str = "",
        warmup: int = 5,
        runs: int = 30,
        method: str = "get",
        data: dict | None = None,
    ) -> Result:
        """p95 in ms as the value; p50, the SQL query count and the ratio to floor_page_ms as extra rows."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = self.client_for(username)
        call = getattr(client, method)
        for _ in range(warmup):
            response = call(url, data or {})
            if response.status_code != 200:
                raise Skip(f"{url} answered {response.status_code} for {username}")
        timings = []
        gc.collect()
        for _ in range(runs):
            start = time.perf_counter()
            call(url, data or {})
            timings.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            call(url, data or {})
        p50 = statistics.median(timings)
        p95 = statistics.quantiles(timings, n=20)[18]
        extra = []
        if name:
            base = name.removesuffix("_p95_ms")
            extra.append(Row(f"{base}_p50_ms", round(p50, 2), "ms", "lower"))
            extra.append(Row(f"{base}_queries", len(queries), "queries", "lower"))
            if self.floor_ms:
                extra.append(Row(f"{base}_x_floor", round(p95 / self.floor_ms, 2), "x", "lower"))
        return Result(round(p95, 2), extra)

    @staticmethod
    def timed(func: Callable, *, repeat: int = 5) -> float:
        """Median wall time of `func()` in ms over `repeat` runs (after one warm-up)."""
        func()
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            func()
            times.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(times), 2)
