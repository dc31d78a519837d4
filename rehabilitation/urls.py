from django.urls import path

from rehabilitation import views

app_name = "rehabilitation"

urlpatterns = [
    path("packages/", views.package_list, name="package-list"),
    path("packages/<int:pk>/", views.package_detail, name="package-detail"),
    path("packages/<int:pk>/components/add/", views.component_add, name="component-add"),
    path("components/<int:pk>/sanction/", views.component_sanction, name="component-sanction"),
    path("components/<int:pk>/disburse/", views.component_disburse, name="component-disburse"),
    path("components/<int:pk>/verify/", views.component_verify, name="component-verify"),
    path("components/<int:pk>/waive/", views.component_waive, name="component-waive"),
    path("components/<int:pk>/proof/<str:which>/", views.component_proof, name="component-proof"),
    path("visits/", views.visit_list, name="visit-list"),
    path("visits/<int:pk>/", views.visit_detail, name="visit-detail"),
    path("visits/<int:pk>/record/", views.visit_record, name="visit-record"),
    path("visits/<int:pk>/decide/", views.visit_decide, name="visit-decide"),
    path("cases/<case_number:case_number>/", views.case_rehabilitation, name="case-rehabilitation"),
    path("cases/<case_number:case_number>/package/", views.package_create, name="package-create"),
    path("cases/<case_number:case_number>/enrolments/add/", views.enrolment_create, name="enrolment-create"),
    path("cases/<case_number:case_number>/visits/assign/", views.visit_assign, name="visit-assign"),
    path("cases/<case_number:case_number>/close/", views.case_close, name="case-close"),
]
