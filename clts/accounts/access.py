"""Who sees what and who may do what: the one place CLTS decides access.

Every query that returns personal data goes through `ScopedQuerySet.visible_to(user)`, which turns the
user's role and jurisdiction into a filter using the model's `scope` (a `Scope` naming, for each kind of
jurisdiction, the lookups that lead from the model to it). Views fetch objects with `get_visible_or_404`,
so an object outside the user's scope answers 404 and its existence does not leak. What a role may *do*
is the ACTIONS table below; templates and views ask `can(user, action)` and never test roles themselves.

Writes are scoped like reads, with one difference: a case shared with one officer (a django-guardian grant)
lets that officer read it, never change it. Every write starts from `writable_by(user)` /
`get_writable_or_404`, which leave the grants out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from clts.accounts.roles import Role
from clts.core.spreadsheets import SafeModelResource
from clts.core.uploads import DocumentUploadField, PhotoUploadField

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class Scope:
    """The lookups that lead from one model to each kind of jurisdiction.

    `district` and `block` lookups end at a District / Block; `cwc`, `cci` at an Institution; `field` at a
    User (the field worker assigned); `department` at a schemes Department; `police` at the Institution of a police
    station; `dcpu` at the District of a District Child Protection Unit; `case` at a rescue Case (for
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
    police: tuple[str, ...] = ()
    dcpu: tuple[str, ...] = ()
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
            police=pre(self.police),
            dcpu=pre(self.dcpu),
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
    police=("institution",),
    dcpu=("district",),
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


# Each role's own jurisdiction: the part of a Scope that names where a row belongs for that role, and the user's
# field that must equal it (a nodal officer with a district is held to that district too, in scope_filter).
_OWN_JURISDICTION = {
    Role.DISTRICT: ("district", "district_id"),
    Role.BLOCK: ("block", "block_id"),
    Role.CWC: ("cwc", "institution_id"),
    Role.CCI: ("cci", "institution_id"),
    Role.FIELD: ("field", "pk"),
    Role.POLICE: ("police", "institution_id"),
    Role.DCPU: ("dcpu", "district_id"),
    Role.NODAL: ("department", "department_id"),
}


def scope_filter(user, scope: Scope, *, write: bool = False) -> Q:
    """The filter that limits a model with this scope to what the user may see (or, with `write`, change)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_superuser or user.role == Role.ADMIN:
        return Q()
    role = user.role
    if role == Role.STATE:
        return Q() if scope.state_wide else NOTHING
    if role in _OWN_JURISDICTION:
        part, own = _OWN_JURISDICTION[role]
        q = _any_of(getattr(scope, part), getattr(user, own))
        if role == Role.NODAL and scope.department and user.district_id:
            q &= _any_of(scope.district, user.district_id)
    else:
        q = NOTHING
    # A grant shares a case for reading only.
    if scope.case and role != Role.NODAL and not write:
        shared = _shared_cases(user)
        if shared:
            q |= Q(**{f"{scope.case}__in": shared})
    return q


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model holding personal data; the model declares `scope = Scope(...)`."""

    def visible_to(self, user) -> ScopedQuerySet:
        """The rows the user may see."""
        return self._scoped(user, write=False)

    def writable_by(self, user) -> ScopedQuerySet:
        """The rows the user may change: what they see, less the cases shared with them for reading."""
        return self._scoped(user, write=True)

    def _scoped(self, user, *, write: bool) -> ScopedQuerySet:
        scope: Scope = self.model.scope
        q = scope_filter(user, scope, write=write)
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


class ReadOnlyAdminMixin:
    """For a ModelAdmin of records the services keep (a case's timeline, transfers, orders, counters): shown and
    exported, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def get_writable_or_404(queryset_or_model, user, **lookup):
    """Fetch one object for a change: 404 outside what the user sees, 403 where they may only read it."""
    qs = queryset_or_model if isinstance(queryset_or_model, models.QuerySet) else queryset_or_model.objects
    try:
        return qs.writable_by(user).get(**lookup)
    except (ValueError, TypeError):
        raise Http404 from None
    except qs.model.DoesNotExist:
        if qs.visible_to(user).filter(**lookup).exists():
            raise PermissionDenied from None
        raise Http404 from None


def get_or_404(queryset_or_model, user, *, write: bool = False, **lookup):
    """`get_writable_or_404` for a change, else `get_visible_or_404`: the fetch of every query helper."""
    fetch = get_writable_or_404 if write else get_visible_or_404
    return fetch(queryset_or_model, user, **lookup)


def is_writable(user, obj: models.Model) -> bool:
    """Whether the user may change this object (for flags such as `can_edit`; the write view checks again)."""
    return type(obj).objects.writable_by(user).filter(pk=obj.pk).exists()


def require_writable(user, obj: models.Model) -> None:
    """In a service: refuse a change to an object outside what the user may change (views check first; this holds
    for every other caller too)."""
    if not is_writable(user, obj):
        raise PermissionDenied


class ScopedAdminMixin:
    """For a ModelAdmin: a non-superuser sees only the rows `visible_to` them, as everywhere else in the portal.

    No full count either: counting a million rows on every admin list page costs more than it tells.
    """

    show_full_result_count = False
    # Files uploaded in the admin pass the same upload policy as in the portal.
    formfield_overrides = {
        models.ImageField: {"form_class": PhotoUploadField},
        models.FileField: {"form_class": DocumentUploadField},
    }

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.visible_to(request.user)

    def _writable(self, request, obj) -> bool:
        return obj is None or request.user.is_superuser or is_writable(request.user, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._writable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._writable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # A raw id typed into a change form must not attach the row to a record outside the user's scope.
        related = db_field.related_model
        if not request.user.is_superuser and isinstance(getattr(related, "scope", None), Scope):
            kwargs.setdefault("queryset", related.objects.writable_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedResourceMixin:
    """For the import-export resource of a model with personal data: an import changes only rows the importing
    user may change, never sets workflow state, and is refused whole (nothing written) when a row breaks this.

    `workflow_fields` are exported but never imported (status, numbers, dates of workflow steps, who did them:
    those change only through the services, which keep the timeline). `allow_create` says whether an import may
    add rows at all; rows it adds must fall in the user's scope. `allow_import = False` makes a resource export only
    (a record kept by the services, such as a case's timeline).
    """

    workflow_fields: tuple[str, ...] = ()
    allow_create: bool = True
    allow_import: bool = True

    def before_import(self, dataset, **kwargs):
        if not self.allow_import:
            raise PermissionDenied(_("These records are kept by the portal itself: they are exported, never imported."))
        user = kwargs.get("user")
        if user is None or not getattr(user, "is_authenticated", False):
            raise PermissionDenied(_("An import is run by a signed-in user, and changes only what that user may."))
        self._importing_user = user
        return super().before_import(dataset, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = getattr(self, "_importing_user", None)
        # Rows are looked up for an import among those the user may change: any other id is not found.
        return queryset.writable_by(user) if user is not None else queryset

    def get_import_fields(self):
        return [field for field in super().get_import_fields() if field.attribute not in self.workflow_fields]

    def init_instance(self, row=None):
        # A row not found among those the user may change is new; if its id names a row elsewhere, the answer is
        # the same as for an id that does not exist. PermissionDenied, not ValidationError: an error rolls the
        # whole import back, a validation error could leave the other rows written.
        model = self._meta.model
        what = {"what": model._meta.verbose_name}
        if not self.allow_create:
            raise PermissionDenied(_("No %(what)s with this id in your area; new ones are added in the portal.") % what)
        lookup = {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            if row is not None and row.get(field.column_name) not in (None, ""):
                try:
                    lookup[field.attribute] = field.clean(row)
                except (ValueError, ObjectDoesNotExist, ValidationError):
                    continue
        if lookup and model._base_manager.filter(**lookup).exists():
            raise PermissionDenied(_("No %(what)s with this id in your area.") % what)
        return super().init_instance(row)

    def save_instance(self, instance, is_create, row, **kwargs):
        super().save_instance(instance, is_create, row, **kwargs)
        # What was written must still be the user's to change (a row moved to another district is not).
        saved = instance.pk is not None
        if saved and not type(instance).objects.writable_by(self._importing_user).filter(pk=instance.pk).exists():
            raise PermissionDenied(_("This row would be outside your area."))


class ScopedModelResource(ScopedResourceMixin, SafeModelResource):
    """The base of every import-export resource of a model with personal data."""


# What each role may do. The domain apps add their actions here, nowhere else.
WRITERS = {Role.DISTRICT, Role.BLOCK, Role.ADMIN}
ACTIONS: dict[str, set[str]] = {
    "portal.view": set(Role.values),
    "dashboard.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.ADMIN},
    "audit.view": {Role.ADMIN},
    # Bulk import of legacy registers (clts.imports): the state's administrator brings in every district's files.
    "import.run": {Role.ADMIN},
    "rescue.register": WRITERS,
    "case.view_list": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.CWC, Role.CCI, Role.ADMIN},
    "case.edit": WRITERS,
    # A child's particulars, a rescue's details and a missing CWC corrected after registration, with a reason.
    "case.correct": WRITERS,
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
    # A new case that may be a child recorded in another area: the district holding the earlier case decides
    # (the state sees every request); the officer who filed it sees only that it is pending.
    "link_request.view": {Role.STATE, Role.DISTRICT, Role.ADMIN},
    "link_request.decide": {Role.DISTRICT, Role.ADMIN},
    # The nightly duplicate pass's review queue (rescue.duplicates): seen by the state, decided by the district.
    "duplicate.view": {Role.STATE, Role.DISTRICT, Role.ADMIN},
    "duplicate.decide": {Role.DISTRICT, Role.ADMIN},
    # The case page (the child's record). A field worker opens it for the cases of the visits assigned to them
    # (CASE_SCOPE's `field` lookup): the visit needs the child's photo, family, address and history.
    "case.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.CWC, Role.CCI, Role.FIELD, Role.ADMIN},
    # The rescue operation (establishment, employer, FIR, every child rescued with this one): not the field worker's.
    "rescue.view": {Role.STATE, Role.DISTRICT, Role.BLOCK, Role.CWC, Role.CCI, Role.ADMIN},
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
    # trackchild_sync: the CCI register is kept by the CCI's staff and the DCPU (a CWC member's placement order
    # admits the child too); the CWC and the district see it. Missing-child reports are filed by police stations;
    # found children by the police, the DCPU and CCI staff; the CWC and the DCPU decide on possible matches.
    "sitting.record": {Role.CWC},
    "register.view": {Role.STATE, Role.DISTRICT, Role.CWC, Role.CCI, Role.DCPU, Role.ADMIN},
    "register.admit": {Role.CCI, Role.DCPU, Role.ADMIN},
    "register.update": {Role.CCI, Role.DCPU, Role.ADMIN},
    "missing.view": {Role.STATE, Role.DISTRICT, Role.CWC, Role.POLICE, Role.DCPU, Role.ADMIN},
    "missing.report": {Role.POLICE, Role.ADMIN},
    "found.view": {Role.STATE, Role.DISTRICT, Role.CWC, Role.CCI, Role.POLICE, Role.DCPU, Role.ADMIN},
    "found.record": {Role.POLICE, Role.DCPU, Role.CCI, Role.ADMIN},
    "match.review": {Role.CWC, Role.DCPU, Role.ADMIN},
    "trackchild.exchange": {Role.STATE, Role.DISTRICT, Role.DCPU, Role.ADMIN},
    "repatriation.file": {Role.STATE, Role.DISTRICT, Role.CWC, Role.ADMIN},
    "upload_compliance.view": {Role.STATE, Role.DISTRICT, Role.DCPU, Role.ADMIN},
}


def figures_district(user, district_id: int | None = None) -> int | None | bool:
    """The district a user's aggregate figures (counts of records, never a record) are limited to, for pages that
    count in SQL rather than through `visible_to`: the district asked for, or None (the whole state), for the
    state's and the admin's roles; anyone else their own district, and False (nothing) when they have none or ask
    for another."""
    if user.is_superuser or user.role in (Role.STATE, Role.ADMIN):
        return district_id
    if not user.district_id or (district_id and district_id != user.district_id):
        return False
    return user.district_id


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
