from django.urls import path

from clts.reports import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
]
