"""clts.core.forking: work split across forked processes comes back in order, fails loudly (never hangs, never
quotes its data), and a part's database work is on a connection of its own."""

import os
import signal

import pytest
from django.db import connection, transaction

from clts.core import forking


def _where(part: int) -> tuple[int, int]:
    return part * 10, os.getpid()


def test_each_part_but_the_first_runs_in_a_process_of_its_own_and_the_answers_come_back_in_order():
    answers = forking.in_forks(_where, [1, 2, 3])
    assert [value for value, _pid in answers] == [10, 20, 30]
    pids = [pid for _value, pid in answers]
    assert pids[0] == os.getpid()
    assert len(set(pids)) == 3


def _fails_on_two(part: int) -> int:
    if part == 2:
        raise ValueError("Ramesh Kumar, Dumri")  # a row's values: never passed on
    return part


def test_an_error_in_a_part_is_raised_here_by_its_name_without_its_message():
    with pytest.raises(forking.PartFailed) as raised:
        forking.in_forks(_fails_on_two, [1, 2])
    assert "ValueError" in str(raised.value)
    assert "Ramesh" not in str(raised.value)


def _killed_on_two(part: int) -> int:
    if part == 2:
        os.kill(os.getpid(), signal.SIGKILL)
    return part


def test_a_part_whose_process_is_killed_is_an_error_not_a_hang():
    with pytest.raises(forking.PartFailed, match="without an answer"):
        forking.in_forks(_killed_on_two, [1, 2, 3])


def _fails_on_one(part: int) -> int:
    if part == 1:
        raise ValueError("the first part")
    return part


def test_an_error_in_the_first_part_ends_the_other_processes(monkeypatch):
    forked: list[int] = []
    fork = os.fork

    def recorded() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(forking.os, "fork", recorded)
    with pytest.raises(ValueError, match="the first part"):
        forking.in_forks(_fails_on_one, [1, 2, 3])
    assert len(forked) == 2
    for pid in forked:  # each one ended and reaped: none left behind, running or a zombie
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _backend(part: int) -> tuple[int, int]:
    from clts.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid, User.objects.filter(username="forking-reader").count()


@pytest.mark.django_db(transaction=True)
def test_a_part_reads_committed_rows_on_a_connection_of_its_own_and_this_session_lives_on():
    from tests import factories as f

    f.make_user(username="forking-reader")
    here, _count = _backend(0)
    answers = forking.in_forks(_backend, [0, 1, 2])
    assert [count for _pid, count in answers] == [1, 1, 1]
    assert answers[0][0] == here
    assert len({pid for pid, _count in answers}) == 3  # each child its own backend
    assert _backend(0) == (here, 1)  # this process's session was neither used nor closed by the children


@pytest.mark.django_db
def test_no_fork_inside_a_transaction_whose_rows_a_child_would_not_see():
    assert not forking.can_fork()  # the test's own transaction
    with transaction.atomic():
        assert not forking.can_fork()


@pytest.mark.django_db(transaction=True)
def test_a_fork_outside_any_transaction():
    assert forking.can_fork()
