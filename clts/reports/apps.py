from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "clts.reports"
    label = "reports"
    verbose_name = "Reports"
