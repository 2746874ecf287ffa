from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="7", minute="30"))
def appeals_sla_sweep():
    """Every morning: urge, notify overdue, escalate (hongyin.appeals.sla)."""
    from .sla import sla_sweep

    return sla_sweep()
