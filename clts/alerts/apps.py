from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "clts.alerts"
    label = "alerts"
