from django.apps import AppConfig


class RescueConfig(AppConfig):
    name = "rescue"
