"""The demo and developer machine: SQLite under var/, debug off by default so error pages are the themed ones."""

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR, env

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR.mkdir(exist_ok=True)

# The demo serves static files through WhiteNoise without pre-compressing them: collectstatic then copies only what
# changed, so a second `make demo` starts in seconds (compressing fonts and ECharts took minutes every run).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
