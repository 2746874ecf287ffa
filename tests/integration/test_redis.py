"""With REDIS_URL set, jobs queue in Redis (huey) and rate limits count in Redis (cache): a real server round trip."""

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

REDIS_URL = os.environ.get("HONGYIN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


if not _redis_up():
    if os.environ.get("CI"):
        raise RuntimeError("Redis is not running on 127.0.0.1:6379, and CI needs it")
    pytest.skip("Redis is not running on 127.0.0.1:6379", allow_module_level=True)

pytestmark = pytest.mark.redis


def test_settings_switch_jobs_and_cache_to_redis_when_redis_url_is_set():
    env = {**os.environ, "REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    code = "from django.conf import settings; print(settings.HUEY['huey_class'], settings.CACHES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR
    ).stdout
    assert out.split() == ["huey.RedisHuey", "django.core.cache.backends.redis.RedisCache"]


def test_a_job_task_travels_through_redis():
    from huey import RedisHuey

    queue = RedisHuey("hongyin-test-queue", url=REDIS_URL)
    queue.flush()

    @queue.task()
    def double(n):
        return n * 2

    result = double(21)
    assert queue.pending_count() == 1
    task = queue.dequeue()
    queue.execute(task)
    assert result.get() == 42
    queue.flush()


def test_rate_limit_counts_in_redis_across_clients():
    from django.core.cache import caches

    from hongyin.common.ratelimit import over_limit

    redis_cache = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        assert not any(over_limit("test:redis", 3) for _ in range(3))
        assert over_limit("test:redis", 3)
        # a second process sees the same count: read it back through a fresh client
        keys = caches["default"]._cache.get_client().keys("*rl:test:redis*")
        assert keys
        caches["default"].clear()
