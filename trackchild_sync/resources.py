"""Import-export resources of trackchild_sync: CWC orders (by case number)."""

from import_export import fields
from import_export.widgets import ForeignKeyWidget

from clts.accounts.access import ScopedModelResource
from rescue.models import Case
from trackchild_sync.models import CwcOrder, Residence


class CwcOrderResource(ScopedModelResource):
    """Export only: an order moves the case, so it is recorded through the portal's form."""

    allow_import = False
    case = fields.Field(attribute="case", column_name="case_number", widget=ForeignKeyWidget(Case, "case_number"))

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
