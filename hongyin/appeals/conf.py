"""Every number of DOMAIN.md (Appeals) that is not per category: settings.HONGYIN_APPEALS overrides these."""

from django.conf import settings

DEFAULTS = {
    "MAX_RETURNS": 3,  # the third return goes to the zone for a final arbitration
    "URGE_BEFORE_DAYS": 1,  # urge when the deadline is this many working days away or less
    "ESCALATE_AFTER_DAYS": 5,  # working days overdue before escalating to the supervisor and the zone
    "FOLLOW_UP_AFTER_DAYS": 1,  # follow-up visit the working day after closure
    "SIMILAR_WINDOW_DAYS": 30,
    "SIMILAR_MIN_OVERLAP": 0.3,  # Jaccard overlap of jieba tokens
    "VISIT_COVERAGE_DAYS": 90,
    "MAX_EXTENSION_DAYS": 30,  # cap when a category has none
    "AUTO_CLOSE_AFTER_DAYS": 5,  # working days after the final reply before the daily sweep closes it; 0: never
}


def get(name: str):
    return getattr(settings, "HONGYIN_APPEALS", {}).get(name, DEFAULTS[name])
