from huey.contrib.djhuey import db_task

from .services import job_execute


@db_task()
def run_job(job_id: int) -> None:
    job_execute(job_id)
