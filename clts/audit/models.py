"""Our own record of who read or exported personal data (the triggers record only writes)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessLog(models.Model):
    """One view, export or print of a record holding personal data."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        PRINT = "print", _("Printed")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("user")
    )
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    object_type = models.CharField(_("record type"), max_length=60)
    object_id = models.CharField(_("record id"), max_length=40)
    # The case number, never the child's name: the log must not itself become a list of names.
    label = models.CharField(_("record"), max_length=60, blank=True)
    path = models.CharField(_("URL"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_access_object"),
            models.Index(fields=["user", "at"], name="audit_access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.object_type} {self.object_id}"
