"""Import-export resources of trackchild_sync: CWC orders (by case number)."""

from clts.accounts.access import ScopedModelResource
from rescue.resources import case_number_field
from trackchild_sync.models import CwcOrder, Residence


class CwcOrderResource(ScopedModelResource):
    """Export only: an order moves the case, so it is recorded through the portal's form."""

    allow_import = False
    case = case_number_field()

    class Meta:
        model = CwcOrder
        clean_model_instances = True
        skip_unchanged = True
        exclude = ("recorded_at",)


class ResidenceResource(ScopedModelResource):
    """Export only: an admission is checked against the home's capacity and what it takes, in the portal."""

    allow_import = False

    class Meta:
        model = Residence
        exclude = ("photo",)
