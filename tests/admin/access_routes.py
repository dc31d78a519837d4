"""The Django admin's pages of every model holding personal data: only admin staff reach them, and what they see
is scoped. The admin (a superuser) reaches every page; Patna's staff officer (`staff`: is_staff and the model
permissions of the domain apps) reaches the lists and export forms, which hold only Patna's rows, and gets no Gaya
record (the admin's "does not exist" redirect); everyone else is sent to the admin's sign-in page.
"""

from django.contrib import admin
from django.utils import timezone
from import_export.admin import ExportMixin, ImportMixin

from rehabilitation.models import Enrolment
from rescue.models import CaseUserObjectPermission
from tests import factories as f
from tests.access_matrix import Route
from trackchild_sync.models import CwcOrder

ADMINS = frozenset({"admin"})
# The apps whose model permissions Patna's staff officer has (tests/conftest.py).
STAFF_APPS = {"rescue", "rehabilitation", "schemes", "trackchild_sync"}


def build(world) -> None:
    case = f.make_world_case(world)
    cast = world.cast
    world.enrolment = Enrolment.objects.create(
        case=case,
        kind="bridge",
        institution_name="Test centre",
        enrolled_on=timezone.localdate(),
        created_by=cast.block,
    )
    world.cwc_order = CwcOrder.objects.create(
        case=case,
        cwc=cast.cwc_institution,
        kind="cci_placement",
        ordered_on=timezone.localdate(),
        cci=cast.cci_institution,
        recorded_by=cast.cwc,
    )


# One Gaya record of each model, from the world.
OBJECTS = {
    "accounts.User": lambda w: w.cast.district.pk,
    "rescue.RescueOperation": lambda w: w.rescue.pk,
    "rescue.Child": lambda w: w.child.pk,
    "rescue.Case": lambda w: w.case.pk,
    "rescue.CaseEvent": lambda w: w.case.events.order_by("id").first().pk,
    "rescue.Transfer": lambda w: w.repatriation.pk,
    "rescue.LinkRequest": lambda w: w.link_request.pk,
    "rescue.CaseUserObjectPermission": lambda w: CaseUserObjectPermission.objects.get(content_object=w.case).pk,
    "rehabilitation.Package": lambda w: w.package.pk,
    "rehabilitation.Component": lambda w: w.component.pk,
    "rehabilitation.Enrolment": lambda w: w.enrolment.pk,
    "rehabilitation.Visit": lambda w: w.visit.pk,
    "schemes.Household": lambda w: w.household.pk,
    "schemes.HouseholdMember": lambda w: w.member.pk,
    "schemes.Document": lambda w: w.document.pk,
    "schemes.Linkage": lambda w: w.linkage.pk,
    "trackchild_sync.CwcOrder": lambda w: w.cwc_order.pk,
    "trackchild_sync.Residence": lambda w: w.residence.pk,
    "alerts.Alert": lambda w: w.alert.pk,
}


def _routes() -> list[Route]:
    routes = []
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label not in OBJECTS:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        staff = model._meta.app_label in STAFF_APPS
        # Staff of Patna: the lists, yes (their own rows only); a Gaya record, no (the admin redirects: not found).
        listing = {"staff": ("ok", (200,))} if staff else {"staff": ("denied", (403,))}
        record = {"staff": ("denied", (302,))} if staff else {"staff": ("denied", (403,))}
        common = {"allowed": ADMINS, "admin": True, "denied": (302,)}
        routes.append(Route(prefix + "changelist", expect=listing, **common))
        routes.append(
            Route(prefix + "change", kwargs=lambda w, o=OBJECTS[label]: {"object_id": o(w)}, expect=record, **common)
        )
        if isinstance(model_admin, ExportMixin):
            routes.append(Route(prefix + "export", expect=listing, **common))
        if isinstance(model_admin, ImportMixin):
            routes.append(Route(prefix + "import", expect=listing, **common))
    return routes


ROUTES = _routes()
