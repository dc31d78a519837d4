"""Import-export resources of the organisations: institutions and departments are public directory data."""

from clts.core.spreadsheets import SafeModelResource
from clts.orgs.models import Department, Institution


class InstitutionResource(SafeModelResource):
    class Meta:
        model = Institution
        clean_model_instances = True
        skip_unchanged = True


class DepartmentResource(SafeModelResource):
    class Meta:
        model = Department
        import_id_fields = ["code"]
        fields = ["code", "name_en", "name_hi"]
        clean_model_instances = True
        skip_unchanged = True
