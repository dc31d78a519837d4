from django.urls import path

from trackchild_sync import views

app_name = "trackchild"

urlpatterns = [
    path("cases/<case_number:case_number>/cwc-order/", views.cwc_order_create, name="cwc-order-create"),
    path("sittings/", views.sitting_list, name="sitting-list"),
    path("homes/", views.home_list, name="home-list"),
    path("homes/<int:pk>/", views.home_register, name="home-register"),
    path("homes/<int:pk>/admit/", views.resident_admit, name="resident-admit"),
    path("residents/<int:pk>/", views.resident_detail, name="resident-detail"),
    path("residents/<int:pk>/move/", views.resident_move, name="resident-move"),
    path("missing/", views.missing_list, name="missing-list"),
    path("missing/new/", views.missing_create, name="missing-create"),
    path("missing/<int:pk>/", views.missing_detail, name="missing-detail"),
    path("found/", views.found_list, name="found-list"),
    path("found/new/", views.found_create, name="found-create"),
    path("found/<int:pk>/", views.found_detail, name="found-detail"),
    path("matches/", views.pair_queue, name="pair-queue"),
    path("matches/<int:pk>/", views.pair_detail, name="pair-detail"),
    path("photos/<str:which>/<int:pk>/", views.photo, name="photo"),
    path("exchange/", views.exchange, name="exchange"),
    path("exchange/<str:kind>.<str:fmt>", views.export, name="export"),
    path("upload-compliance/", views.upload_compliance, name="upload-compliance"),
    path(
        "cases/<case_number:case_number>/repatriation.<str:fmt>",
        views.repatriation_file,
        name="repatriation-file",
    ),
]
