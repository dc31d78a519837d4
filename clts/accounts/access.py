"""Who sees what and who may do what: the one place CLTS decides access.

Every query that returns personal data goes through `ScopedQuerySet.visible_to(user)`, which turns the
user's role and jurisdiction into a filter using the model's `scope` (a `Scope` naming, for each kind of
jurisdiction, the lookups that lead from the model to it). Views fetch objects with `get_visible_or_404`,
so an object outside the user's scope answers 404 and its existence does not leak. What a role may *do*
is the ACTIONS table below; templates and views ask `can(user, action)` and never test roles themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from clts.accounts.roles import Role

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """The lookups that lead from one model to each kind of jurisdiction.

    `district` and `block` lookups end at a District / Block; `cwc`, `cci` at an Institution; `field` at a
    User (the field worker assigned); `department` at a schemes Department; `case` at a rescue Case (for
    per-case grants through django-guardian). A role whose lookups are empty sees none of the model's rows.
    `multi` marks lookups that cross a to-many relation, so the filter is applied as a subquery and rows are
    never duplicated.
    """

    district: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    cwc: tuple[str, ...] = ()
    cci: tuple[str, ...] = ()
    field: tuple[str, ...] = ()
    department: tuple[str, ...] = ()
    case: str | None = None
    state_wide: bool = True
    multi: bool = False

    def via(self, prefix: str, *, multi: bool = False) -> Scope:
        """The same scope reached through a relation, e.g. CASE_SCOPE.via("case__") for a model with a case FK."""

        def pre(lookups: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(prefix + lookup for lookup in lookups)

        return replace(
            self,
            district=pre(self.district),
            block=pre(self.block),
            cwc=pre(self.cwc),
            cci=pre(self.cci),
            field=pre(self.field),
            department=pre(self.department),
            case=prefix + self.case if self.case else None,
            multi=self.multi or multi or prefix.endswith("s__"),
        )

    def with_lookups(self, **lookups: tuple[str, ...]) -> Scope:
        return replace(self, **lookups)


# A case is seen by the rescuing and the home district (and block), the CWC it was produced before, the CCI
# it is in, and the field workers assigned its follow-up visits.
CASE_SCOPE = Scope(
    district=("district", "home_district"),
    block=("block", "home_block"),
    cwc=("cwc",),
    cci=("cci",),
    field=("visits__assigned_to",),
    case="pk",
)

# rehabilitation: a package (and an enrolment) is seen by the case's districts and blocks, not by the CCI or the
# field workers; a follow-up visit by the case's districts and blocks, and by the field worker it is assigned to.
PACKAGE_SCOPE = CASE_SCOPE.via("case__").with_lookups(cci=(), cwc=(), field=())
VISIT_SCOPE = CASE_SCOPE.via("case__").with_lookups(cci=(), cwc=(), field=("assigned_to",))

# schemes: a household is seen where it lives and wherever a case of one of its rescued children is seen; a
# department's nodal officer sees only the households of that department's linkages.
_HOUSEHOLD_CASES = CASE_SCOPE.via("children__child__cases__", multi=True)
HOUSEHOLD_SCOPE = _HOUSEHOLD_CASES.with_lookups(
    district=("district", *_HOUSEHOLD_CASES.district),
    block=("block", *_HOUSEHOLD_CASES.block),
    department=("linkages__scheme__department",),
)
# A scheme linkage is worked where the household lives (district and block copied from the household) and seen
# by the rescuing district through its case; a nodal officer sees only the linkages of the department's schemes.
LINKAGE_SCOPE = Scope(
    district=("district", "case__district"),
    block=("block", "case__block"),
    department=("scheme__department",),
    case="case",
)

# alerts: an alert is seen by the jurisdiction responsible for it, as the scan last copied it from the object (the
# case's district and block, the CWC or CCI, the field worker assigned, the department), and by per-case grants.
# My work re-checks each listed object through its own model's visible_to, so a copy a day old shows nothing new.
ALERT_SCOPE = Scope(
    district=("district",),
    block=("block",),
    cwc=("institution",),
    cci=("institution",),
    field=("assignee",),
    department=("department",),
    case="case",
)
# Compliance figures are aggregates by district, block, officer and institution (no case, no child).
COMPLIANCE_SCOPE = Scope(district=("district",), block=("block",), cwc=("institution",), cci=("institution",))


def _any_of(lookups: tuple[str, ...], value) -> Q:
    q = NOTHING
    for lookup in lookups:
        q |= Q(**{lookup: value})
    return q if lookups else NOTHING


def _shared_cases(user) -> list[int]:
    """Ids of the cases shared with this user one by one (the django-guardian exception path).

    Fetched as a list, once per user object: nearly always empty, and then the condition drops out of the
    query. A subquery here made PostgreSQL misjudge every narrow list (446 ms instead of 4 ms at a million cases).
    """
    cached = getattr(user, "_clts_shared_cases", None)
    if cached is None:
        grant = apps.get_model("rescue", "CaseUserObjectPermission")
        cached = list(
            grant.objects.filter(user=user, permission__codename="view_case").values_list(
                "content_object_id", flat=True
            )
        )
        user._clts_shared_cases = cached
    return cached


def scope_filter(user, scope: Scope) -> Q:
    """The filter that limits a model with this scope to what the user may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    role = user.role
    if role == Role.STATE:
        return Q() if scope.state_wide else NOTHING
    if role == Role.DISTRICT:
        q = _any_of(scope.district, user.district_id)
    elif role == Role.BLOCK:
        q = _any_of(scope.block, user.block_id)
    elif role == Role.CWC:
        q = _any_of(scope.cwc, user.institution_id)
    elif role == Role.CCI:
        q = _any_of(scope.cci, user.institution_id)
    elif role == Role.FIELD:
        q = _any_of(scope.field, user.pk)
    elif role == Role.NODAL:
        q = _any_of(scope.department, user.department_id)
        if scope.department and user.district_id:
            q &= _any_of(scope.district, user.district_id)
    else:
        q = NOTHING
    if scope.case and role != Role.NODAL:
        shared = _shared_cases(user)
        if shared:
            q |= Q(**{f"{scope.case}__in": shared})
    return q


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model holding personal data; the model declares `scope = Scope(...)`."""

    def visible_to(self, user) -> ScopedQuerySet:
        scope: Scope = self.model.scope
        q = scope_filter(user, scope)
        if q == Q():
            return self.all()
        # To-many lookups (a child's cases, a case's visits for a field worker) go through a subquery so a row
        # reached twice is still listed once.
        if scope.multi or getattr(user, "role", None) == Role.FIELD:
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        return self.filter(q)


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one object through the user's access; anything outside it is 404 (existence never leaks)."""
    qs = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class ScopedAdminMixin:
    """For a ModelAdmin: a non-superuser sees only the rows `visible_to` them, as everywhere else in the portal.

    No full count either: counting a million rows on every admin list page costs more than it tells.
    """

    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)


# What each role may do. The domain apps add their actions here, nowhere else.
WRITERS = {Role.DISTRICT, Role.BLOCK, Role.ADMIN}
ACTIONS: dict[str, set[str]] = {
    "portal.view": set(Role.values),
    "dashboard.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    "audit.view": {Role.ADMIN},
    "rescue.register": WRITERS,
    "case.view_list": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.CWC, Role.CCI, Role.ADMIN},
    "case.edit": WRITERS,
    "case.record_cwc_order": {Role.CWC, Role.ADMIN},
    "case.acknowledge_transfer": {Role.DISTRICT, Role.ADMIN},
    "case.decide": {Role.DISTRICT, Role.ADMIN},
    # rehabilitation: packages are the district labour office's; visits are recorded by field workers and officers;
    # the district officer decides on a visit that found the child working again or not found, and closes a case.
    "package.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    "package.view_list": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    "package.create": {Role.DISTRICT, Role.ADMIN},
    "package.edit": {Role.DISTRICT, Role.ADMIN},
    "package.verify": WRITERS,
    "package.close_case": {Role.DISTRICT, Role.ADMIN},
    "enrolment.record": WRITERS,
    "visit.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.FIELD, Role.ADMIN},
    "visit.view_list": {Role.DISTRICT, Role.BLOCK, Role.FIELD, Role.ADMIN},
    "visit.record": {Role.DISTRICT, Role.BLOCK, Role.FIELD, Role.ADMIN},
    "visit.assign": {Role.DISTRICT, Role.ADMIN},
    "visit.decide": {Role.DISTRICT, Role.ADMIN},
    # rescue: roles that make at least one move of the case workflow (each move's own action is in
    # rescue.services.TRANSITIONS), and the escort/handover steps of transfers between districts and states.
    "case.transition": {Role.DISTRICT, Role.BLOCK, Role.CWC, Role.ADMIN},
    "case.transfer": WRITERS,
    # The case page (the child's record); a field worker reaches the child through the visit pages instead.
    "case.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.CWC, Role.CCI, Role.ADMIN},
    # schemes: the catalogue is public information; households and documents are kept by the labour officers;
    # a linkage is prepared and applied for by them, decided (sanctioned, received, rejected) by them or the
    # department's nodal officer.
    "scheme.view_list": set(Role.values),
    "household.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    "household.edit": WRITERS,
    "linkage.view_list": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.NODAL, Role.ADMIN},
    "linkage.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.NODAL, Role.ADMIN},
    "linkage.apply": WRITERS,
    "linkage.update": {Role.DISTRICT, Role.BLOCK, Role.NODAL, Role.ADMIN},
    "linkage.print_card": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    # alerts: everyone has a work list and may acknowledge what is on it; compliance figures are for supervisors.
    "mywork.view": set(Role.values),
    "alert.acknowledge": set(Role.values),
    "compliance.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
}


def can(user, action: str) -> bool:
    """Whether the user's role may perform the action at all (the object is checked by visible_to)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.role in ACTIONS.get(action, set())


def require(user, action: str) -> None:
    """403 for a signed-in user whose role may not perform the action (read-only roles, for example)."""
    if not can(user, action):
        raise PermissionDenied
