from django.urls import path

from rescue import views

app_name = "rescue"

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("register/", views.rescue_create, name="rescue-create"),
    path("register/matches/", views.child_matches, name="child-matches"),
    path("blocks/", views.block_options, name="block-options"),
    path("rescues/<int:pk>/", views.rescue_detail, name="rescue-detail"),
    path("transfers/", views.transfer_list, name="transfer-list"),
    path("link-requests/", views.link_request_list, name="link-request-list"),
    path("link-requests/<int:pk>/", views.link_request_detail, name="link-request-detail"),
    path("link-requests/<int:pk>/decide/", views.link_request_decide, name="link-request-decide"),
    path("link-requests/<int:pk>/photo/<str:which>/", views.link_request_photo, name="link-request-photo"),
    path("duplicates/", views.duplicate_list, name="duplicate-list"),
    path("duplicates/<int:pk>/", views.duplicate_detail, name="duplicate-detail"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="duplicate-decide"),
    path("<case_number:case_number>/", views.case_detail, name="case-detail"),
    path("<case_number:case_number>/photo/", views.child_photo, name="child-photo"),
    path("<case_number:case_number>/status/", views.case_transition, name="case-transition"),
    path("<case_number:case_number>/transfer/", views.case_transfer, name="case-transfer"),
    path("<case_number:case_number>/correct/", views.case_correct, name="case-correct"),
    path("<case_number:case_number>/transfers/<int:pk>/step/", views.transfer_step, name="transfer-step"),
    path(
        "<case_number:case_number>/transfers/<int:pk>/acknowledge/",
        views.transfer_acknowledge,
        name="transfer-acknowledge",
    ),
]
