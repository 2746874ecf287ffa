"""The demo and developer machine: SQLite under var/, debug off by default so error pages are the themed ones."""

from .base import *  # noqa: F403
from .base import VAR_DIR, env

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR.mkdir(exist_ok=True)
