from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hongyin.audit"
    label = "audit"
