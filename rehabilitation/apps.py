from django.apps import AppConfig


class RehabilitationConfig(AppConfig):
    name = "rehabilitation"
