"""The audit trail: triggers record writes (bulk ones too) with the acting user and URL; reads are logged."""

import pytest
from django.urls import reverse

from clts.audit.models import AccessLog
from clts.audit.services import access_log_record
from rescue.models import Case, CaseHistory, Status
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_bulk_update_is_captured_by_the_audit_trail(places):
    cases = [f.make_case(district=places.gaya) for _ in range(3)]
    untouched = f.make_case(district=places.patna)

    changed = Case.objects.filter(district=places.gaya).update(status=Status.PRODUCED)

    assert changed == 3
    history = CaseHistory.objects.filter(pgh_label="update")
    assert sorted(history.values_list("pgh_obj_id", flat=True)) == sorted(c.pk for c in cases)
    assert set(history.values_list("status", flat=True)) == {Status.PRODUCED}
    assert not history.filter(pgh_obj_id=untouched.pk).exists()


def test_delete_is_captured(places):
    case = f.make_case(district=places.gaya)
    case_id = case.pk
    case.events.all().delete()
    case.delete()
    assert CaseHistory.objects.filter(pgh_obj_id=case_id, pgh_label="delete").count() == 1


def test_a_change_through_the_portal_records_who_and_which_url(client, cast):
    client.force_login(cast.district)
    client.post(reverse("accounts:language-set"), {"language": "hi"})

    event = cast.district.history.filter(pgh_label="update").latest("pgh_created_at")
    assert event.language == "hi"
    assert event.pgh_context.metadata["user"] == cast.district.pk
    assert event.pgh_context.metadata["url"] == reverse("accounts:language-set")


def test_password_hashes_never_enter_the_history(cast):
    fields = {field.name for field in cast.district.history.model._meta.fields}
    assert "password" not in fields


def test_reads_are_listed_for_the_admin_and_filterable(client, cast, places):
    case = f.make_case(district=places.gaya)
    access_log_record(user=cast.district, obj=case, action=AccessLog.Action.VIEW, label=case.case_number)
    access_log_record(user=cast.state, obj=case, action=AccessLog.Action.EXPORT, label=case.case_number)

    client.force_login(cast.admin)
    page = client.get(reverse("audit:log"), {"user": cast.district.pk}).content.decode()
    assert case.case_number in page and "Viewed" in page and "Exported" not in page

    page = client.get(reverse("audit:log"), {"object_type": "rescue.case", "object_id": case.pk}).content.decode()
    assert page.count(case.case_number) == 2


def test_changes_are_filterable_by_record_type_and_id(client, cast, places):
    case = f.make_case(district=places.gaya)
    other = f.make_case(district=places.gaya)
    Case.objects.filter(pk=case.pk).update(status=Status.PRODUCED)
    client.force_login(cast.admin)
    response = client.get(reverse("audit:log"), {"show": "changes", "object_type": "rescue.case", "object_id": case.pk})
    rows = list(response.context["page"].object_list)
    assert {row.pgh_obj_model for row in rows} == {"rescue.Case"}
    assert {row.pgh_label for row in rows} == {"insert", "update"}
    assert {row.pgh_obj_id for row in rows} == {str(case.pk)} and str(other.pk) not in {r.pgh_obj_id for r in rows}
    everything = client.get(reverse("audit:log"), {"show": "changes", "object_type": "rescue.case"})
    assert {row.pgh_obj_id for row in everything.context["page"].object_list} >= {str(case.pk), str(other.pk)}


def test_audit_page_is_for_admins_only(client, cast):
    client.force_login(cast.state)
    assert client.get(reverse("audit:log")).status_code == 403


def test_both_logs_are_narrowed_by_the_dates_and_the_user_the_same_way(cast, places):
    """The five filters mean the same on reads and on changes: an empty one narrows nothing."""
    from datetime import timedelta

    from django.utils import timezone

    from clts.audit import queries

    case = f.make_case(district=places.gaya)
    access_log_record(user=cast.district, obj=case, action=AccessLog.Action.VIEW, label=case.case_number)
    today = timezone.localdate()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    for search in (queries.access_log_search, queries.change_search):
        assert search(since=today, until=today).exists(), search
        assert not search(since=tomorrow).exists(), search
        assert not search(until=yesterday).exists(), search
        assert search(object_type="", object_id="", since=None).count() == search().count(), search
    assert set(queries.access_log_search(user_id=cast.district.pk).values_list("user_id", flat=True)) == {
        cast.district.pk
    }
    assert not queries.access_log_search(user_id=cast.state.pk).exists()


def test_the_logs_and_what_the_scan_writes_are_read_only_in_the_admin(rf, cast):
    """The read-access log and the alerts, runs and digests are shown in the admin, never added, changed, deleted."""
    from django.contrib import admin

    from clts.alerts.models import Alert, DigestSent, ScanRun

    request = rf.get("/")
    request.user = cast.admin
    for model in (AccessLog, Alert, ScanRun, DigestSent):
        model_admin = admin.site._registry[model]
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
