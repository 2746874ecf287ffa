"""Job kinds. An app registers a runner: `@job_kind("members.import")
def run(job, progress): ...` returns (result_path_or_None, download_name, message)."""

from collections.abc import Callable

RUNNERS: dict[str, Callable] = {}


def job_kind(kind: str):
    def decorator(func: Callable) -> Callable:
        RUNNERS[kind] = func
        return func

    return decorator
