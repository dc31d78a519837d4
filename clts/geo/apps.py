from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "clts.geo"
    label = "geo"
    verbose_name = "Geography"
