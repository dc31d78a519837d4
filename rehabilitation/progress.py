"""The case's status follows the rehabilitation work, by one table (issue 11: a restored child whose package or
visits have started is under rehabilitation, then under follow-up).

STATUS_FOLLOWS_WORK says, for a case at one status, which fact of the work moves it to the next. `status_follow`
reads the facts in one query and makes every move that holds, in order, so a case restored last month whose
package is already complete goes through "under rehabilitation" to "under follow-up" in one call. A case only
moves forward, and only from the statuses in the table: a decision (re-trafficked, lost contact, closed) is never
undone by the work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from rehabilitation.models import DONE_STATUSES, OPEN_STATUSES
from rescue import services as rescue_services
from rescue.models import Case, Status


@dataclass(frozen=True)
class Work:
    """What has been done for a case's rehabilitation."""

    components: int = 0  # not waived or waived: every component of the package
    components_moved: int = 0  # sanctioned, disbursed, verified or waived
    components_open: int = 0  # planned or sanctioned
    visits_recorded: int = 0
    enrolments: int = 0

    @property
    def started(self) -> bool:
        """The package or the visits have started: a component sanctioned (or further), a visit or an enrolment
        recorded. A package only planned (made automatically at restoration) is not yet work done."""
        return bool(self.components_moved or self.visits_recorded or self.enrolments)

    @property
    def package_complete(self) -> bool:
        """Every component of the package is disbursed (or verified) or waived."""
        return self.components > 0 and self.components_open == 0


@dataclass(frozen=True)
class Step:
    from_status: str
    to_status: str
    condition: str  # a property of Work
    reason: str


# The one table: from which status, to which, on which fact of the work, and the words on the timeline.
STATUS_FOLLOWS_WORK: tuple[Step, ...] = (
    Step(
        Status.RESTORED,
        Status.REHABILITATION,
        "started",
        _("Rehabilitation has started: a component is sanctioned, a visit or an enrolment is recorded."),
    ),
    Step(Status.REHABILITATION, Status.FOLLOW_UP, "package_complete", _("Every component is disbursed or waived.")),
)


def work_of(case: Case) -> Work:
    """The facts STATUS_FOLLOWS_WORK reads, in one query."""
    moved = [status for status in (*OPEN_STATUSES, *DONE_STATUSES) if status != "planned"]
    counts = Case.objects.filter(pk=case.pk).aggregate(
        components=Count("package__components", distinct=True),
        components_moved=Count("package__components", filter=Q(package__components__status__in=moved), distinct=True),
        components_open=Count(
            "package__components", filter=Q(package__components__status__in=OPEN_STATUSES), distinct=True
        ),
        visits_recorded=Count("visits", filter=Q(visits__visited_on__isnull=False), distinct=True),
        enrolments=Count("enrolments", distinct=True),
    )
    return Work(**counts)


def status_follow(*, case: Case, actor) -> Case:
    """Make every move of STATUS_FOLLOWS_WORK that the case's work now holds (for the services after each step)."""
    work = None
    for step in STATUS_FOLLOWS_WORK:
        if case.status != step.from_status:
            continue
        work = work or work_of(case)
        if not getattr(work, step.condition):
            break
        # The reason goes as the lazy text: the timeline keeps it in English and shows it in the reader's language.
        case = rescue_services.case_transition_by_work(case=case, to=step.to_status, actor=actor, reason=step.reason)
    return case
