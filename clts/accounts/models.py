"""Users of the portal and the jurisdiction each one works in."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from clts.accounts.roles import Role
from clts.audit.tracking import track_personal_data

# Which jurisdiction field each role must have (and no other).
REQUIRED_JURISDICTION = {
    Role.STATE: "state",
    Role.DISTRICT: "district",
    Role.BLOCK: "block",
    Role.CWC: "institution",
    Role.CCI: "institution",
    Role.POLICE: "institution",
    Role.DCPU: "institution",
    Role.FIELD: "block",
    Role.NODAL: "department",
    Role.ADMIN: None,
}


# The kind of institution each institutional role belongs to.
INSTITUTION_KIND = {Role.CWC: "cwc", Role.CCI: "cci", Role.POLICE: "police", Role.DCPU: "dcpu"}


# The password hash and sign-in times stay out of the history: the trail is for who changed whose access.
@track_personal_data(exclude=("password", "last_login"))
class User(AbstractUser):
    """A portal user with one role and the jurisdiction that role works in."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.DISTRICT)
    state = models.ForeignKey("geo.State", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("state"))
    district = models.ForeignKey(
        "geo.District", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("district")
    )
    block = models.ForeignKey("geo.Block", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("block"))
    institution = models.ForeignKey(
        "orgs.Institution",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("institution"),
        help_text=_("The CWC or CCI of a CWC member or CCI staff member."),
    )
    department = models.ForeignKey(
        "orgs.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("department"),
        help_text=_("The department of a nodal officer."),
    )
    designation = models.CharField(_("designation"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en", help_text=_("Language of the portal.")
    )

    class Meta:
        verbose_name = _("user")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="accounts_user_role_valid"),
        ]

    def clean(self) -> None:
        super().clean()
        needed = REQUIRED_JURISDICTION.get(self.role)
        if needed and not getattr(self, f"{needed}_id"):
            raise ValidationError({needed: _("A user with this role needs a %(field)s.") % {"field": needed}})
        if self.institution_id and not self.district_id:
            # An institution's staff work in its district (a DCPU's district is its jurisdiction).
            self.district_id = self.institution.district_id
        if self.block_id and not self.district_id:
            self.district_id = self.block.district_id
        if self.district_id and not self.state_id:
            self.state_id = self.district.state_id
        if self.institution_id:
            kind = self.institution.kind
            if self.role in INSTITUTION_KIND and kind != INSTITUTION_KIND[self.role]:
                raise ValidationError({"institution": _("The institution does not match the role.")})

    @property
    def is_state_wide(self) -> bool:
        return self.is_superuser or self.role in (Role.STATE, Role.ADMIN)


class UserSession(models.Model):
    """Which sessions belong to which user, so they can be ended on the server."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
