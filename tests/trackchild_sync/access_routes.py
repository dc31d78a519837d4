"""Every URL of trackchild_sync, and who gets what from it: the CWC order form of the world case (in a CCI), and the
CCI register of Gaya's children's home with one resident (a child without a CLTS case, placed by Gaya's CWC)."""

from django.utils import timezone

from rescue.models import Case, Status
from tests import factories as f
from tests.access_matrix import Route
from trackchild_sync.models import CwcOrder, CwcSitting, Residence

RECORDERS = frozenset({"cwc", "admin"})
REGISTER_READERS = frozenset({"state", "district", "cwc", "cci", "admin"})
REGISTER_KEEPERS = frozenset({"cci", "admin"})
# A CCI's staff have one home: the list sends them to its register.
ONE_HOME = {"cci": ("ok", (302,)), "cci_other": ("ok", (302,))}


def build(world) -> None:
    f.make_world_case(world)
    world.residence = f.make_residence(
        world.cast.cci_institution, cwc=world.cast.cwc_institution, recorded_by=world.cast.cci, name="Test Resident"
    )


def _case(world) -> dict:
    return {"case_number": world.case.case_number}


def _home(world) -> dict:
    return {"pk": world.cast.cci_institution.pk}


def _residence(world) -> dict:
    return {"pk": world.residence.pk}


def _restored(world, user):
    assert CwcOrder.objects.filter(case=world.case, kind="restoration", recorded_by=user).exists()
    # Restored, and at once further where the world case's work has started (rehabilitation.progress); the
    # restoration itself is on the timeline.
    assert Case.objects.get(pk=world.case.pk).status in (Status.RESTORED, Status.REHABILITATION, Status.FOLLOW_UP)
    assert world.case.events.filter(to_status=Status.RESTORED, actor=user).exists()


def _admitted(world, user):
    assert Residence.objects.filter(name="Test Admitted Child", recorded_by=user, left_on__isnull=True).exists()


def _on_leave(world, user):
    assert Residence.objects.get(pk=world.residence.pk).on_leave_since == timezone.localdate()


def _sat(world, user):
    assert CwcSitting.objects.filter(recorded_by=user, cwc=user.institution).exists()


ROUTES = [
    # The admin may open the page (a superuser may do anything) but records no sitting: it belongs to no CWC.
    Route("trackchild:sitting-list", allowed=frozenset({"cwc", "admin"})),
    Route(
        "trackchild:sitting-list",
        method="post",
        allowed=frozenset({"cwc"}),
        data=lambda w: {"sat_on": timezone.localdate().isoformat(), "members_present": "3"},
        ok=(302,),
        effect=_sat,
        audited=False,  # a sitting holds no personal data (no child), so the audit trail does not track it
    ),
    Route("trackchild:cwc-order-create", allowed=RECORDERS, kwargs=_case, via_case=True, writes=True),
    Route(
        "trackchild:cwc-order-create",
        method="post",
        allowed=RECORDERS,
        kwargs=_case,
        via_case=True,
        data=lambda w: {
            "kind": "restoration",
            "order_number": "CWC/GAYA/1",
            "ordered_on": timezone.localdate().isoformat(),
            "restored_to": "Test Mother",
            "restored_place": "Test Village Bakraur, the family home",
        },
        ok=(302,),
        effect=_restored,
    ),
    Route("trackchild:home-list", allowed=REGISTER_READERS - {"cci"}, expect=ONE_HOME),
    Route("trackchild:home-register", allowed=REGISTER_READERS, kwargs=_home),
    Route("trackchild:resident-admit", allowed=REGISTER_KEEPERS, kwargs=_home, writes=True),
    Route(
        "trackchild:resident-admit",
        method="post",
        allowed=REGISTER_KEEPERS,
        kwargs=_home,
        data=lambda w: {
            "cwc": w.cast.cwc_institution.pk,
            "order_number": "CWC/GAYA/2",
            "ordered_on": timezone.localdate().isoformat(),
            "admitted_on": timezone.localdate().isoformat(),
            "name": "Test Admitted Child",
            "sex": "f",
            "age_years": "9",
        },
        ok=(302,),
        effect=_admitted,
    ),
    Route("trackchild:resident-detail", allowed=REGISTER_READERS, kwargs=_residence),
    Route(
        "trackchild:resident-move",
        method="post",
        allowed=REGISTER_KEEPERS,
        kwargs=_residence,
        data=lambda w: {"movement": "leave", "on": timezone.localdate().isoformat(), "notes": "Test: home visit"},
        ok=(302,),
        effect=_on_leave,
    ),
]
