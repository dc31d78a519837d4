from django.urls import path

from clts.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.state_dashboard, name="dashboard"),
    path("district/<int:district_id>/", views.district_dashboard, name="district"),
    path("crosstab/", views.crosstab_page, name="crosstab"),
    path("crosstab/xlsx/", views.crosstab_xlsx, name="crosstab-xlsx"),
    path("monthly/", views.monthly_list, name="monthly-list"),
    path("monthly/request/", views.monthly_request, name="monthly-request"),
    path("monthly/<int:pk>/", views.monthly_download, name="monthly-download"),
    path("exports/", views.export_page, name="exports"),
    path("exports/start/", views.export_start, name="export-start"),
    path("exports/<int:pk>/", views.export_download, name="export-download"),
]
