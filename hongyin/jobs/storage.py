"""Where job result files live: Django's storage API, entry "jobs" of settings.STORAGES.

By default a folder under PRIVATE_MEDIA_ROOT/jobs (read when used, so a test that moves PRIVATE_MEDIA_ROOT moves it
too). With several servers point the entry at a folder every server mounts (HONGYIN_JOBS_ROOT) or at an
S3-compatible store (e.g. django-storages' S3 backend): the worker that writes a result and the web server that
serves it need not be the same machine."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class JobFileStorage(FileSystemStorage):
    """FileSystemStorage whose default location follows PRIVATE_MEDIA_ROOT (never the public MEDIA_ROOT)."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, Path(settings.PRIVATE_MEDIA_ROOT) / "jobs")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None  # private: served by jobs:download to the owner only, never by URL


def job_storage() -> Storage:
    if "jobs" in settings.STORAGES:
        return storages["jobs"]
    return JobFileStorage()
