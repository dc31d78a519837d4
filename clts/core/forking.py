"""CPU-bound Python work split across processes forked from this one, so that it runs on every core.

A forked child starts with this process's memory as it was at the fork (the rows read, the caches built), so
nothing is sent to it; only its answer comes back, pickled, through a pipe. It opens database connections of its
own: it sees committed data only, never the rows of a transaction open here, so a caller inside a transaction
that wrote what the work reads must run it here instead (`can_fork`). The connections it inherits are never used
nor closed in it (closing one would end this process's session: the socket is shared), and it leaves with
`os._exit`, running none of this process's clean-up.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection, connections

Part = TypeVar("Part")
Answer = TypeVar("Answer")

# The database connections a forked child inherited: kept referenced so that none is closed (and its socket, the
# parent's, shut) when the child drops it.
_INHERITED: list = []


class PartFailed(RuntimeError):
    """A part of the work failed in its process: an error (named, its message is not passed on: it may quote a
    row) or the process ended without an answer."""


def can_fork() -> bool:
    """True unless a transaction is open here: a child would not see what it wrote."""
    return not connection.in_atomic_block and hasattr(os, "fork")


def in_forks(work: Callable[[Part], Answer], parts: Sequence[Part]) -> list[Answer]:
    """[work(part) for part in parts], in order: the first part here, each other in a process forked for it."""
    if len(parts) <= 1:
        return [work(part) for part in parts]
    children: list[tuple[int, int]] = []
    try:
        for part in parts[1:]:
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:  # the child: never returns
                os.close(read)
                _child(work, part, write)
            os.close(write)
            children.append((pid, read))
        answers = [work(parts[0])]
    except BaseException:
        for pid, read in children:
            _end(pid, read)
        raise
    failed: PartFailed | None = None
    for pid, read in children:
        try:
            answers.append(_answer(pid, read))
        except PartFailed as error:
            failed = failed or error
    if failed is not None:
        raise failed
    return answers


def _child(work, part, out: int) -> None:
    code = 1
    try:
        _own_connections()
        try:
            answer = (True, work(part))
        except Exception as error:
            answer = (False, type(error).__name__)
        data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(out, view) :]
        code = 0
    finally:
        try:
            for opened in connections.all(initialized_only=True):
                opened.close()  # the child's own
        finally:
            os._exit(code)


def _own_connections() -> None:
    """Forget the inherited connections (kept referenced, never closed): the next query opens one of its own."""
    for inherited in connections.all(initialized_only=True):
        _INHERITED.append(inherited)
        del connections[inherited.alias]


def _answer(pid: int, read: int) -> object:
    chunks = []
    try:
        while chunk := os.read(read, 1 << 20):
            chunks.append(chunk)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if not chunks or os.waitstatus_to_exitcode(status) != 0:
        raise PartFailed("a part of the work ended without an answer")
    ok, answer = pickle.loads(b"".join(chunks))  # noqa: S301 (written by this program's own child)
    if not ok:
        raise PartFailed(f"a part of the work failed in its process: {answer}")
    return answer


def _end(pid: int, read: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.close(read)
    os.waitpid(pid, 0)
