from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clts.audit"
    label = "audit"
    verbose_name = "Audit"
