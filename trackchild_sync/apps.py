from django.apps import AppConfig


class TrackchildSyncConfig(AppConfig):
    name = "trackchild_sync"
