from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

# An acknowledgement changes no one's list (the item stays until the work is done): the counts stay valid.
_ACKNOWLEDGEMENT = frozenset({"acknowledged_at", "acknowledged_by", "acknowledgement_note"})


def _alerts_changed(sender, update_fields=None, **kwargs):
    from clts.alerts.queries import generation_bump

    if update_fields and set(update_fields) <= _ACKNOWLEDGEMENT:
        return
    generation_bump()


class AlertsConfig(AppConfig):
    name = "clts.alerts"
    label = "alerts"

    def ready(self):
        # An alert written through the ORM (an acknowledgement, the admin, a test) moves the cached counts on; the
        # scan, which writes in SQL, does it after each rule it commits.
        alert = self.get_model("Alert")
        post_save.connect(_alerts_changed, sender=alert, dispatch_uid="alerts-count-save")
        post_delete.connect(_alerts_changed, sender=alert, dispatch_uid="alerts-count-delete")
