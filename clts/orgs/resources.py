"""Import-export resources of the organisations: institutions and departments are public directory data."""

from import_export import resources

from clts.orgs.models import Department, Institution


class InstitutionResource(resources.ModelResource):
    class Meta:
        model = Institution
        clean_model_instances = True
        skip_unchanged = True


class DepartmentResource(resources.ModelResource):
    class Meta:
        model = Department
        import_id_fields = ["code"]
        fields = ["code", "name_en", "name_hi"]
        clean_model_instances = True
        skip_unchanged = True
