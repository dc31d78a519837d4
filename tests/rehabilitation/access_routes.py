"""Access-matrix routes of rehabilitation, on the world case: a package and a visit assigned to world.cast.field.

A package is seen only by the case's districts and blocks and the state (another district's officer gets 404; CCI,
CWC, field workers and nodal officers may see no package at all: 403); a visit also by the field worker it is
assigned to.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.access_matrix import Route
from tests.factories import make_package, make_visit, make_world_case

PROOF_NAME = "rehabilitation/proofs/access-matrix/proof.pdf"

VIEWERS = frozenset({"state", "district", "block", "admin"})
EDITORS = frozenset({"district", "admin"})
# Roles that may see packages (or visits), but not this one: 404.
NOT_PACKAGE = frozenset({"outsider"})
NOT_VISIT = frozenset({"outsider"})


def build(world):
    case = make_world_case(world)
    package = make_package(
        case,
        created_by=world.cast.district,
        components=[{"name_en": "Immediate relief", "kind": "relief", "planned_amount": "3000.00"}],
    )
    component = package.components.get()
    if not default_storage.exists(PROOF_NAME):
        default_storage.save(PROOF_NAME, ContentFile(b"%PDF-1.4 access matrix test\n"))
    type(component).objects.filter(pk=component.pk).update(sanction_proof=PROOF_NAME)
    world.package = package
    world.component = component
    world.visit = make_visit(case, assigned_to=world.cast.field)


def _package(w):
    return {"pk": w.package.pk}


def _component(w):
    return {"pk": w.component.pk}


def _visit(w):
    return {"pk": w.visit.pk}


def _case(w):
    return {"case_number": w.case.case_number}


ROUTES = [
    Route("rehabilitation:package-list", allowed=VIEWERS | {"outsider"}),
    Route("rehabilitation:package-detail", allowed=VIEWERS, kwargs=_package, hidden=NOT_PACKAGE),
    Route("rehabilitation:component-add", allowed=EDITORS, kwargs=_package, hidden=NOT_PACKAGE),
    Route("rehabilitation:component-sanction", allowed=EDITORS, kwargs=_component, hidden=NOT_PACKAGE),
    Route("rehabilitation:component-disburse", allowed=EDITORS, kwargs=_component, hidden=NOT_PACKAGE),
    Route("rehabilitation:component-verify", allowed=EDITORS | {"block"}, kwargs=_component, hidden=NOT_PACKAGE),
    Route("rehabilitation:component-waive", allowed=EDITORS, kwargs=_component, hidden=NOT_PACKAGE),
    Route(
        "rehabilitation:component-proof",
        allowed=VIEWERS,
        kwargs=lambda w: {"pk": w.component.pk, "which": "sanction"},
        hidden=NOT_PACKAGE,
    ),
    Route("rehabilitation:visit-list", allowed=frozenset({"district", "block", "field", "admin", "outsider"})),
    Route("rehabilitation:visit-detail", allowed=VIEWERS | {"field"}, kwargs=_visit, hidden=NOT_VISIT),
    Route(
        "rehabilitation:visit-record",
        allowed=frozenset({"district", "block", "field", "admin"}),
        kwargs=_visit,
        hidden=NOT_VISIT,
    ),
    Route("rehabilitation:visit-decide", allowed=EDITORS, kwargs=_visit, hidden=NOT_VISIT),
    Route(
        "rehabilitation:case-rehabilitation",
        allowed=VIEWERS | {"field"},
        kwargs=_case,
        hidden=frozenset({"outsider", "cci", "cwc", "nodal"}),
    ),
    Route(
        "rehabilitation:package-create",
        allowed=EDITORS,
        kwargs=_case,
        method="post",
        ok=(302,),
        hidden=frozenset({"outsider", "nodal"}),
    ),
    Route("rehabilitation:enrolment-create", allowed=EDITORS | {"block"}, kwargs=_case, hidden=frozenset({"outsider"})),
    Route("rehabilitation:visit-assign", allowed=EDITORS, kwargs=_case, hidden=frozenset({"outsider"})),
    Route("rehabilitation:case-close", allowed=EDITORS, kwargs=_case, hidden=frozenset({"outsider"})),
]
