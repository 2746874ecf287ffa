from huey import crontab
from huey.contrib.djhuey import db_periodic_task


@db_periodic_task(crontab(hour="8", minute="0"))
def orglife_guide_sweep():
    """Every morning: remind branches short of the month's meetings before the guide's deadline, and tell their
    committees the day after it (hongyin.orglife.services.guide_sweep)."""
    from .services import guide_sweep

    return guide_sweep()
