from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import job_execute, mark_stale_jobs


@db_task()
def run_job(job_id: int) -> None:
    job_execute(job_id)


@db_periodic_task(crontab(minute="*/5"))
def jobs_mark_stale() -> int:
    """A job whose worker died stays RUNNING for ever otherwise: mark it failed so its owner can run it again."""
    return mark_stale_jobs()
