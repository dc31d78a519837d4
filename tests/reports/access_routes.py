"""Access-matrix routes of the report pages: aggregates for every role with a dashboard, any district of the state
(a reader from elsewhere sees that district's small counts hidden), 403 for everyone else."""

from tests.access_matrix import Route

DASHBOARD = frozenset({"state", "district", "block", "admin", "outsider", "block_other", "staff", "shared"})


def _gaya(world):
    return {"district_id": world.places.gaya.pk}


ROUTES = [
    Route("reports:dashboard", allowed=DASHBOARD),
    Route("reports:district", allowed=DASHBOARD, kwargs=_gaya),
]

ROUTES += [
    Route("reports:crosstab", allowed=DASHBOARD),
    Route("reports:crosstab-xlsx", allowed=DASHBOARD, ok=(302,)),
]
