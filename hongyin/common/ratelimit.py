"""Fixed-window rate limits in the cache (Redis in a zone deployment, so they hold across processes)."""

import time

from django.core.cache import cache


def over_limit(key: str, limit: int, window: int = 60) -> bool:
    bucket = f"rl:{key}:{int(time.time() // window)}"
    if cache.add(bucket, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.set(bucket, 1, timeout=window + 5)
            count = 1
    return count > limit
