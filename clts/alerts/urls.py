from django.urls import path

from clts.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.my_work, name="my-work"),
    path("<int:pk>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("compliance/", views.compliance, name="compliance"),
    path("overdue/", views.overdue_list, name="overdue-list"),
]
