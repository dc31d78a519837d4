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
]
