"""visible_to: each role sees its jurisdiction and nothing else; per-case grants are the one exception."""

import pytest
from django.http import Http404
from guardian.shortcuts import assign_perm

from clts.accounts import access
from rescue.models import Case, CaseEvent, Child, Interstate
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(cast, places):
    gaya = f.make_case(
        district=places.gaya,
        block=places.bodh_gaya,
        home_block=places.bodh_gaya,
        cwc=cast.cwc_institution,
        cci=cast.cci_institution,
    )
    sherghati = f.make_case(district=places.gaya, block=places.sherghati, home_block=places.sherghati)
    patna = f.make_case(district=places.patna, block=places.phulwari, home_block=places.phulwari)
    # Rescued in Patna, home in Gaya: both districts follow it.
    transferred = f.make_case(district=places.patna, home_district=places.gaya)
    # A Gaya child rescued in Rajasthan: the rescuing district is outside the state.
    inbound = f.make_case(
        district=None,
        home_district=places.gaya,
        interstate=Interstate.INBOUND,
        rescue=f.make_rescue(district=f.make_district(state=places.rajasthan, name_en="Jaipur")),
    )
    return {"gaya": gaya, "sherghati": sherghati, "patna": patna, "transferred": transferred, "inbound": inbound}


def _visible(user):
    return set(Case.objects.visible_to(user).values_list("case_number", flat=True))


def _numbers(cases, *keys):
    return {cases[key].case_number for key in keys}


def test_each_role_sees_its_jurisdiction(cast, cases):
    assert _visible(cast.state) == _numbers(cases, *cases)
    assert _visible(cast.admin) == _numbers(cases, *cases)
    assert _visible(cast.district) == _numbers(cases, "gaya", "sherghati", "transferred", "inbound")
    assert _visible(cast.outsider) == _numbers(cases, "patna", "transferred")
    assert _visible(cast.block) == _numbers(cases, "gaya")
    assert _visible(cast.cwc) == _numbers(cases, "gaya")
    assert _visible(cast.cci) == _numbers(cases, "gaya")
    assert _visible(cast.nodal) == set()  # nodal officers see linkages, never cases
    assert _visible(cast.field) == set()  # field workers see cases only through visits assigned to them


def test_related_rows_follow_the_case_without_duplicates(cast, cases):
    child = cases["transferred"].child
    # The same child rescued again in Patna: still one row for the Gaya officer who can see one of the cases.
    f.make_case(district=places_patna(cases), child=child)
    children = Child.objects.visible_to(cast.district)
    assert children.filter(pk=child.pk).count() == 1
    assert not Child.objects.visible_to(cast.district).filter(pk=cases["patna"].child_id).exists()
    assert not CaseEvent.objects.visible_to(cast.outsider).filter(case=cases["gaya"]).exists()


def places_patna(cases):
    return cases["patna"].district


def test_outsider_gets_404_not_403(cast, cases):
    with pytest.raises(Http404):
        access.get_visible_or_404(Case, cast.outsider, pk=cases["gaya"].pk)
    with pytest.raises(Http404):
        access.get_visible_or_404(Case, cast.outsider, pk="not-a-number")
    assert access.get_visible_or_404(Case, cast.district, pk=cases["gaya"].pk) == cases["gaya"]


def test_a_case_shared_with_one_officer_is_visible_to_that_officer_only(cast, cases, django_user_model):
    assign_perm("view_case", cast.outsider, cases["sherghati"])
    assert cases["sherghati"].case_number in _visible(cast.outsider)
    other_patna_officer = f.make_user("district", district=cases["patna"].district)
    assert cases["sherghati"].case_number not in _visible(other_patna_officer)
    # The grant is one row on the case, not a row per case per user.
    assert cases["sherghati"].grants.count() == 1


def test_inactive_and_anonymous_users_see_nothing(cast, cases):
    from django.contrib.auth.models import AnonymousUser

    assert _visible(AnonymousUser()) == set()
    cast.state.is_active = False
    assert _visible(cast.state) == set()


def test_read_only_roles_may_not_write(cast):
    assert access.can(cast.district, "rescue.register")
    assert not access.can(cast.state, "rescue.register")
    assert not access.can(cast.cci, "rescue.register")
    assert access.can(cast.admin, "audit.view") and not access.can(cast.state, "audit.view")


def test_a_grant_reads_a_case_but_never_writes_it(cast, cases):
    from django.core.exceptions import PermissionDenied

    assign_perm("view_case", cast.outsider, cases["sherghati"])
    case = cases["sherghati"]
    assert Case.objects.visible_to(cast.outsider).filter(pk=case.pk).exists()
    assert not Case.objects.writable_by(cast.outsider).filter(pk=case.pk).exists()
    assert not access.is_writable(cast.outsider, case)
    with pytest.raises(PermissionDenied):  # seen, so 403 rather than 404
        access.get_writable_or_404(Case, cast.outsider, pk=case.pk)
    with pytest.raises(Http404):  # not seen at all
        access.get_writable_or_404(Case, cast.outsider, pk=cases["gaya"].pk)
    with pytest.raises(PermissionDenied):
        access.require_writable(cast.outsider, case)
    assert access.get_writable_or_404(Case, cast.district, pk=case.pk) == case
    # Writes follow the jurisdiction exactly as reads do, for everyone else.
    for user in (cast.state, cast.district, cast.block, cast.cwc, cast.cci, cast.admin):
        assert set(Case.objects.writable_by(user)) == set(Case.objects.visible_to(user))


def test_each_role_is_matched_on_its_own_part_of_the_scope_only(cast):
    """A scope naming one part only: the role of that part is matched on its own value, every other role on
    nothing (the nodal officer's part is the department; its district, when it has one, narrows it further)."""
    from clts.accounts.roles import Role

    users = {
        Role.DISTRICT: (cast.district, "district", cast.district.district_id),
        Role.BLOCK: (cast.block, "block", cast.block.block_id),
        Role.CWC: (cast.cwc, "cwc", cast.cwc.institution_id),
        Role.CCI: (cast.cci, "cci", cast.cci.institution_id),
        Role.FIELD: (cast.field, "field", cast.field.pk),
        Role.POLICE: (cast.police, "police", cast.police.institution_id),
        Role.DCPU: (cast.dcpu, "dcpu", cast.dcpu.district_id),
        Role.NODAL: (cast.nodal, "department", cast.nodal.department_id),
    }
    for role, (user, part, own) in users.items():
        assert user.role == role and own is not None, role
        only = access.Scope(**{part: ("x",)}, state_wide=False)
        assert access.scope_filter(user, only) == access._any_of(("x",), own), role
        for other, (other_user, _part, _own) in users.items():
            if other != role:
                assert access.scope_filter(other_user, only) == access.NOTHING, (role, other)
    assert access.scope_filter(cast.state, access.Scope(district=("x",), state_wide=False)) == access.NOTHING


def test_figures_are_limited_to_the_users_district_unless_they_see_the_state(cast, places):
    """Pages that count in SQL (upload compliance) ask access.figures_district which district they may count."""
    from types import SimpleNamespace

    from clts.accounts.access import figures_district
    from clts.accounts.roles import Role

    assert figures_district(cast.state) is None and figures_district(cast.state, places.patna.pk) == places.patna.pk
    assert figures_district(cast.district) == places.gaya.pk
    assert figures_district(cast.district, places.gaya.pk) == places.gaya.pk
    assert figures_district(cast.district, places.patna.pk) is False  # another district: nothing
    assert figures_district(cast.cci) == places.gaya.pk  # the role's right to the page is access.require's
    nowhere = SimpleNamespace(is_superuser=False, role=Role.FIELD, district_id=None)
    assert figures_district(nowhere) is False  # no district of their own: nothing
