"""Access-matrix routes of alerts, on an alert about the world case (Gaya, Bodh Gaya block, world.cast's CWC).

The alert answers to the district officer, was assigned to the field worker and has escalated to the state: it is
on the work lists of the field worker, the CWC (its institution), the district officer, the state and the admin.
Anyone else acknowledging it gets 404, as if it did not exist. Compliance pages are for supervisors.
"""

from datetime import timedelta

from django.utils import timezone

from clts.alerts.models import Alert, DeadlineRule, Level
from clts.alerts.services import rules_seed
from tests.access_matrix import ALL, Route
from tests.factories import make_world_case

SUPERVISORS = frozenset({"state", "district", "block", "admin", "outsider"})
ON_THE_LIST = frozenset({"field", "cwc", "district", "state", "admin"})


def build(world):
    case = make_world_case(world)
    rules_seed()
    now = timezone.now()
    world.alert = Alert.objects.create(
        rule=DeadlineRule.objects.get(code="cwc-production"),
        object_type="case",
        object_id=case.pk,
        case=case,
        institution=world.cast.cwc_institution,
        district=world.places.gaya,
        block=world.places.bodh_gaya,
        assignee=world.cast.field,
        responsible_role="district",
        start_level=Level.DISTRICT,
        level=Level.STATE,
        action="produce",
        due_at=now - timedelta(days=4),
        created_at=now,
    )


def _acknowledged(world, user):
    alert = Alert.objects.get(pk=world.alert.pk)
    assert alert.acknowledged_by == user and alert.acknowledgement_note == "Test: the CWC sits tomorrow."


ROUTES = [
    Route("alerts:my-work", allowed=ALL),
    Route(
        "alerts:alert-acknowledge",
        allowed=ON_THE_LIST,
        method="post",
        kwargs=lambda w: {"pk": w.alert.pk},
        data=lambda w: {"note": "Test: the CWC sits tomorrow."},
        ok=(302,),
        effect=_acknowledged,
        hidden=ALL - ON_THE_LIST,
    ),
    Route("alerts:compliance", allowed=SUPERVISORS),
    Route("alerts:overdue-list", allowed=SUPERVISORS),
]
