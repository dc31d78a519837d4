from tests.rehabilitation.conftest import bihar_templates, case  # noqa: F401  (fixtures shared with rehabilitation)
