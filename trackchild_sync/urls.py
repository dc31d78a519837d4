from django.urls import path

from trackchild_sync import views

app_name = "trackchild"

urlpatterns = [
    path("cases/<case_number:case_number>/cwc-order/", views.cwc_order_create, name="cwc-order-create"),
]
