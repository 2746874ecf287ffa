from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(minute="*"))
def audit_seal():
    """Safety net: events are sealed when their transaction commits; this catches any a crashed process left."""
    from .services import seal_pending

    return seal_pending()
