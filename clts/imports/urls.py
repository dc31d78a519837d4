from django.urls import path

from clts.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("upload/", views.job_upload, name="job-upload"),
    path("<int:pk>/", views.job_detail, name="job-detail"),
    path("<int:pk>/mapping/", views.job_mapping, name="job-mapping"),
    path("<int:pk>/preview/", views.job_preview, name="job-preview"),
    path("<int:pk>/commit/", views.job_commit, name="job-commit"),
    path("<int:pk>/discard/", views.job_discard, name="job-discard"),
    path("<int:pk>/progress/", views.job_progress, name="job-progress"),
    path("<int:pk>/bad-rows/", views.job_bad_rows, name="job-bad-rows"),
]
