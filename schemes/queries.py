"""Reads of the schemes app: eligibility of one household, counts for a district or the state, work queues,
coverage figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from clts.accounts import access
from clts.core.keyset import format_cursor
from rescue.models import Case as RescueCase
from schemes import eligibility
from schemes.models import (
    OPEN_STATUSES,
    Beneficiary,
    Document,
    DocumentKind,
    EligibilitySummary,
    Household,
    HouseholdChild,
    HouseholdMember,
    Linkage,
    LinkageEvent,
    LinkageStatus,
    Scheme,
)


@dataclass
class Eligibility:
    """One scheme one beneficiary of the household is eligible for, why, and what papers are still missing."""

    scheme: Scheme
    candidate: eligibility.Person
    reason: str
    missing: list[str]
    linkage: Linkage | None = None

    @property
    def key(self) -> tuple[str, int]:
        obj = self.candidate.obj
        if self.scheme.beneficiary == Beneficiary.CHILD:
            return ("child", obj.child_id)
        return (self.scheme.beneficiary, obj.pk)

    @property
    def member(self) -> HouseholdMember | None:
        return self.candidate.obj if self.scheme.beneficiary == Beneficiary.MEMBER else None

    @property
    def missing_labels(self) -> list[str]:
        return [str(DocumentKind(kind).label) for kind in self.missing]

    @property
    def missing_choices(self) -> list[tuple[str, str]]:
        return [(kind, str(DocumentKind(kind).label)) for kind in self.missing]


@dataclass
class HeldDocuments:
    """Which document kinds each child and member of a household holds."""

    by_holder: dict[tuple[str, int], set[str]] = field(default_factory=lambda: defaultdict(set))
    anyone: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, documents) -> HeldDocuments:
        held = cls()
        for document in documents:
            holder = ("child", document.child_id) if document.child_id else ("member", document.member_id)
            held.by_holder[holder].add(document.kind)
            held.anyone.add(document.kind)
        return held

    def missing(self, scheme: Scheme, holder: tuple[str, int] | None) -> list[str]:
        """The beneficiary's own documents (any member's, for a household scheme), then the family's."""
        own = self.anyone if holder is None else self.by_holder.get(holder, set())
        missing = [kind for kind in scheme.documents if kind not in own]
        missing += [kind for kind in scheme.family_documents if kind not in self.anyone and kind not in missing]
        return missing


def _holder(scheme: Scheme, obj) -> tuple[str, int] | None:
    if scheme.beneficiary == Beneficiary.CHILD:
        return ("child", obj.child_id)
    if scheme.beneficiary == Beneficiary.MEMBER:
        return ("member", obj.pk)
    return None


def household_children(household: Household) -> models.QuerySet:
    """The household's rescued children with the facts rules read from their cases."""
    return (
        HouseholdChild.objects.filter(household=household)
        .select_related("child")
        .annotate(
            bonded=Exists(RescueCase.objects.filter(child_id=OuterRef("child_id"), bonded=True)),
            trafficked=Exists(RescueCase.objects.filter(child_id=OuterRef("child_id"), trafficked=True)),
        )
        .order_by("id")
    )


def household_eligibility(
    *,
    household: Household,
    today: date | None = None,
    schemes=None,
    links: list | None = None,
    members: list | None = None,
    documents: list | None = None,
    linkages: list | None = None,
) -> list[Eligibility]:
    """Every active scheme each child, member or the household itself is eligible for (linked or not).
    Rows the caller has already loaded (links, members, documents, linkages) are used as they are."""
    today = today or timezone.localdate()
    links = list(household_children(household)) if links is None else links
    if members is None:
        members = list(HouseholdMember.objects.filter(household=household).order_by("id"))
    facts = eligibility.household_facts(household, links, members, today)
    held = HeldDocuments.of(Document.objects.filter(household=household) if documents is None else documents)
    if linkages is None:
        linkages = Linkage.objects.filter(household=household)
    linkages = {(linkage.scheme_id, _linkage_key(linkage)): linkage for linkage in linkages}
    if schemes is None:
        schemes = Scheme.objects.filter(is_active=True).select_related("department").order_by("name_en")
    found = []
    for scheme in schemes:
        for candidate in facts.people(scheme.beneficiary):
            ok, matches = eligibility.evaluate(scheme.rule, candidate, facts)
            if not ok:
                continue
            item = Eligibility(
                scheme=scheme,
                candidate=candidate,
                reason=eligibility.reason(candidate, matches, scheme.name),
                missing=held.missing(scheme, _holder(scheme, candidate.obj)),
            )
            item.linkage = linkages.get((scheme.pk, item.key))
            found.append(item)
    return found


def _linkage_key(linkage: Linkage) -> tuple[str, int]:
    if linkage.child_id:
        return ("child", linkage.child_id)
    if linkage.member_id:
        return ("member", linkage.member_id)
    return ("household", linkage.household_id)


def linkage_missing_documents(linkage: Linkage, documents: list | None = None) -> list[str]:
    if documents is None:
        documents = Document.objects.filter(household_id=linkage.household_id)
    held = HeldDocuments.of(documents)
    holder = None
    if linkage.child_id:
        holder = ("child", linkage.child_id)
    elif linkage.member_id:
        holder = ("member", linkage.member_id)
    return held.missing(linkage.scheme, holder)


def household_of_case(*, case, user) -> Household | None:
    """The household of the case's child, if the user may see it."""
    return (
        Household.objects.visible_to(user)
        .filter(children__child_id=case.child_id)
        .select_related("district", "block", "village")
        .first()
    )


def case_schemes(*, case, household: Household, today: date | None = None, loaded: dict | None = None) -> dict:
    """What the case page shows: eligible schemes of this child, the members and the household, with the
    linkages of this child, the members and the household. `loaded` is household_rows(), when at hand."""
    loaded = loaded if loaded is not None else household_rows(household)
    all_linkages = list(
        Linkage.objects.filter(household=household).select_related("scheme", "member").order_by("identified_at", "id")
    )
    items = [
        item
        for item in household_eligibility(household=household, today=today, linkages=all_linkages, **loaded)
        if item.scheme.beneficiary != Beneficiary.CHILD or item.key == ("child", case.child_id)
    ]
    household.guardians = [member for member in loaded["members"] if member.is_guardian]
    linkages = [linkage for linkage in all_linkages if linkage.child_id in (None, case.child_id)]
    for linkage in linkages:
        linkage.household = household
    return {
        "suggestions": [item for item in items if item.linkage is None],
        "linkages": linkages,
    }


def household_rows(household: Household) -> dict:
    """The household's rescued children, members and documents, loaded once for a page."""
    return {
        "links": list(household_children(household)),
        "members": list(HouseholdMember.objects.filter(household=household).order_by("id")),
        "documents": household_documents(household),
    }


def household_documents(household: Household) -> list[Document]:
    return list(Document.objects.filter(household=household).select_related("member", "child").order_by("kind", "id"))


def linkage_documents(linkage: Linkage) -> list[Document]:
    """Only the documents the scheme asks for, of the beneficiary and the family (what a nodal officer may see)."""
    kinds = set(linkage.scheme.documents) | set(linkage.scheme.family_documents)
    return list(
        Document.objects.filter(household_id=linkage.household_id, kind__in=kinds)
        .select_related("member")
        .order_by("kind", "id")
    )


# ---------------------------------------------------------------------------------------------------------------
# Counts for a district or the state


def eligible_unlinked_counts(*, district_id: int | None = None, today: date | None = None) -> dict[int, int]:
    """Eligible but not linked, per scheme, computed in the database (one COUNT per scheme, no Python loop)."""
    today = today or timezone.localdate()
    counts = {}
    for scheme in Scheme.objects.filter(is_active=True).order_by("pk"):
        qs = eligibility.eligible(scheme, today=today)
        if district_id is not None:
            qs = qs.filter(**{eligibility.household_district_lookup(scheme.beneficiary): district_id})
        counts[scheme.pk] = qs.filter(~eligibility.linked(scheme)).count()
    return counts


def eligible_unlinked_summary(*, district_id: int | None = None) -> dict[int, int]:
    """The same figures from the summary table the Celery task refreshes (what dashboards read at state scale)."""
    qs = EligibilitySummary.objects.all()
    if district_id is not None:
        qs = qs.filter(district_id=district_id)
    return {row["scheme_id"]: row["unlinked"] for row in qs.values("scheme_id").annotate(unlinked=Sum("unlinked"))}


class Median(models.Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = models.FloatField()


class DaysBetween(models.Func):
    """later - earlier for two dates: whole days, as PostgreSQL subtracts dates."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.IntegerField()


def coverage(*, district_id: int | None = None) -> list[dict]:
    """Per scheme and district: eligible (from the summary), identified, applied, sanctioned, received,
    rejected, and the median days from identification to receipt."""
    linkages = Linkage.objects.all()
    summary = EligibilitySummary.objects.all()
    if district_id is not None:
        linkages = linkages.filter(district_id=district_id)
        summary = summary.filter(district_id=district_id)
    applied = [LinkageStatus.APPLIED, LinkageStatus.SANCTIONED, LinkageStatus.RECEIVED, LinkageStatus.REJECTED]
    rows = (
        linkages.values("scheme_id", "district_id")
        .annotate(
            identified=Count("pk"),
            applied=Count("pk", filter=Q(status__in=applied)),
            sanctioned=Count("pk", filter=Q(status__in=[LinkageStatus.SANCTIONED, LinkageStatus.RECEIVED])),
            received=Count("pk", filter=Q(status=LinkageStatus.RECEIVED)),
            rejected=Count("pk", filter=Q(status=LinkageStatus.REJECTED)),
            median_days=Median(
                DaysBetween("received_on", TruncDate("identified_at")), filter=Q(status=LinkageStatus.RECEIVED)
            ),
        )
        .order_by()
    )
    figures: dict[tuple[int, int], dict] = {}
    for row in summary.values("scheme_id", "district_id", "eligible", "unlinked"):
        figures[(row["scheme_id"], row["district_id"])] = {
            **row,
            "identified": 0,
            "applied": 0,
            "sanctioned": 0,
            "received": 0,
            "rejected": 0,
            "median_days": None,
        }
    for row in rows:
        key = (row["scheme_id"], row["district_id"])
        figures.setdefault(key, {"scheme_id": key[0], "district_id": key[1], "eligible": 0, "unlinked": 0})
        figures[key].update(row)
    return sorted(figures.values(), key=lambda r: (r["scheme_id"], r["district_id"]))


# ---------------------------------------------------------------------------------------------------------------
# Work queues


QUEUE_FILTERS = ("open", "overdue", *LinkageStatus.values)


def queue_schemes(user) -> models.QuerySet:
    """The schemes a queue can be narrowed to: the user's department's, or all."""
    schemes = Scheme.objects.order_by("name_en")
    return schemes.filter(department_id=user.department_id) if user.department_id else schemes


def linkage_queue(
    *,
    user,
    status: str = "open",
    scheme_id: int | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int = 50,
    today: date | None = None,
) -> tuple[list[Linkage], str | None]:
    """The user's linkages oldest first (longest waiting on top), keyset-paginated on (status time, id)."""
    qs = Linkage.objects.visible_to(user)
    # A queue is the work of the user's own department, block or district: access is still decided by
    # visible_to above; narrowing to the user's area lets the database walk one partial index in queue order.
    if user.department_id:
        qs = qs.filter(department_id=user.department_id)
    if user.block_id:
        qs = qs.filter(block_id=user.block_id)
    elif user.district_id:
        qs = qs.filter(district_id=user.district_id)
    if status == "overdue":
        qs = qs.overdue(today=today)
    elif status in LinkageStatus.values:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if scheme_id:
        qs = qs.filter(scheme_id=scheme_id)
    if after:
        moment, pk = after
        # The >= bound is an index condition; the OR only settles ties on the same moment.
        qs = qs.filter(status_changed_at__gte=moment).filter(Q(status_changed_at__gt=moment) | Q(pk__gt=pk))
    rows = list(
        qs.select_related("scheme", "member", "child", "district")
        .prefetch_related(
            Prefetch(
                "household__members",
                queryset=HouseholdMember.objects.filter(is_guardian=True),
                to_attr="guardians",
            )
        )
        .order_by("status_changed_at", "pk")[: limit + 1]
    )
    next_cursor = format_cursor(rows[limit - 1].status_changed_at, rows[limit - 1].pk) if len(rows) > limit else None
    rows = rows[:limit]
    for row in rows:
        row.beneficiary_name = beneficiary_name(row)
    return rows, next_cursor


def beneficiary_name(linkage: Linkage) -> str:
    """The child, the member, or for a household scheme the guardian (the applicant)."""
    if linkage.child_id:
        return linkage.child.name
    if linkage.member_id:
        return linkage.member.name
    guardians = getattr(linkage.household, "guardians", None)  # prefetched by the queue
    if guardians is None:
        guardians = list(linkage.household.members.filter(is_guardian=True))
    return guardians[0].name if guardians else ""


# ---------------------------------------------------------------------------------------------------------------
# Pages


def linkage_beneficiary(linkage: Linkage) -> dict:
    """What a linkage needs about its beneficiary: name, age, sex and relation (for a household scheme, the
    guardian who applies); nothing of the rescue."""
    today = timezone.localdate()
    if linkage.child_id:
        child = linkage.child
        return {
            "name": child.name,
            "age": eligibility.child_age(child, today),
            "sex": child.get_sex_display(),
            "relation": _("Rescued child"),
        }
    member = linkage.member if linkage.member_id else linkage.household.members.filter(is_guardian=True).first()
    if member is None:
        return {"name": "", "age": None, "sex": "", "relation": _("Household")}
    return {
        "name": member.name,
        "age": eligibility.member_age(member, today),
        "sex": member.get_sex_display(),
        "relation": member.get_relation_display(),
    }


def document_checklist(*, children, members, documents) -> list[dict]:
    """Per child and member: every document kind, with the record when it is held."""
    by_holder: dict[tuple[str, int], dict[str, Document]] = defaultdict(dict)
    for document in documents:
        holder = ("child", document.child_id) if document.child_id else ("member", document.member_id)
        by_holder[holder][document.kind] = document
    rows = []
    for link in children:
        held = by_holder.get(("child", link.child_id), {})
        rows.append(
            {
                "name": link.child.name,
                "who": _("Rescued child"),
                "items": [(label, held.get(kind)) for kind, label in DocumentKind.choices],
                "held": len(held),
            }
        )
    for member in members:
        held = by_holder.get(("member", member.pk), {})
        rows.append(
            {
                "name": member.name,
                "who": member.get_relation_display(),
                "items": [(label, held.get(kind)) for kind, label in DocumentKind.choices],
                "held": len(held),
            }
        )
    return rows


def entitlement_card(*, case, household: Household) -> dict:
    """The card of one child: linked schemes with status and office, eligible ones still to apply for, and the
    documents the family holds (numbers masked)."""
    today = timezone.localdate()
    loaded = household_rows(household)
    panel = case_schemes(case=case, household=household, today=today, loaded=loaded)
    children = [link for link in loaded["links"] if link.child_id == case.child_id]
    members, documents = loaded["members"], loaded["documents"]
    for linkage in panel["linkages"]:
        linkage.beneficiary_name = beneficiary_name(linkage)
    return {
        "case": case,
        "child": case.child,
        "child_age": eligibility.child_age(case.child, today),
        "household": household,
        "linkages": panel["linkages"],
        "suggestions": panel["suggestions"],
        "documents": [document for document in documents if document.member_id or document.child_id == case.child_id],
        "holders": {link.child_id: link.child.name for link in children},
        "members": members,
        "today": today,
        "reference": f"CLTS/{case.case_number}",
    }


def catalogue() -> list[Scheme]:
    """Active schemes by department, each with its rule and documents in words."""
    schemes = list(
        Scheme.objects.filter(is_active=True).select_related("department").order_by("department__name_en", "name_en")
    )
    for scheme in schemes:
        scheme.rule_words = eligibility.describe_rule(scheme.rule)
        own = [str(DocumentKind(kind).label) for kind in scheme.documents]
        family = [
            _("%(document)s (family)") % {"document": DocumentKind(kind).label} for kind in scheme.family_documents
        ]
        scheme.document_words = ", ".join(own + family)
    return schemes


def household_by_id(*, user, pk: int) -> Household:
    """One household through the user's access (404 outside it)."""
    return access.get_visible_or_404(Household.objects.select_related("district", "block", "village"), user, pk=pk)


def linkage_by_id(*, user, pk: int) -> Linkage:
    """One linkage through the user's access (404 outside it): a nodal officer reaches only the department's."""
    related = ("scheme__department", "household__district", "member", "child", "case")
    return access.get_visible_or_404(Linkage.objects.select_related(*related), user, pk=pk)


def household_child_by_id(*, user, pk: int) -> HouseholdChild:
    return access.get_visible_or_404(HouseholdChild.objects.select_related("child", "household"), user, pk=pk)


def member_by_id(*, user, pk: int) -> HouseholdMember:
    return access.get_visible_or_404(HouseholdMember.objects.select_related("household"), user, pk=pk)


def linkage_events(linkage: Linkage) -> list[LinkageEvent]:
    """The linkage's own history of steps, oldest first (the linkage was fetched through access)."""
    return list(linkage.events.select_related("actor").order_by("at", "id"))
