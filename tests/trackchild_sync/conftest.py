import pytest

from trackchild_sync.steps import steps_seed


@pytest.fixture(autouse=True)
def _cwc_steps(request):
    """The CWC's shipped steps, as the migration seeds them: a transactional test run earlier on the same test
    process (pytest-xdist) empties every table, the migration's rows included."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("db")
        steps_seed()
