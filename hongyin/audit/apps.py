from django.apps import AppConfig
from django.core import checks
from django.utils.translation import pgettext_lazy


class AuditConfig(AppConfig):
    name = "hongyin.audit"
    label = "audit"
    verbose_name = pgettext_lazy("app", "审计日志")

    def ready(self) -> None:
        from hongyin.common import hooks

        from . import services

        checks.register(retention_check, checks.Tags.security)
        hooks.register(hooks.AUDIT_RECORD, services.record)


def retention_check(app_configs, **kwargs):
    from django.conf import settings

    days = getattr(settings, "HONGYIN_AUDIT_RETENTION_DAYS", 0)
    if days < 180:
        return [
            checks.Error(
                f"HONGYIN_AUDIT_RETENTION_DAYS is {days}; the audit log must be kept at least 180 days.",
                id="hongyin.E001",
            )
        ]
    return []
