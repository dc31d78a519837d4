from django.urls import path

from schemes import views

app_name = "schemes"

urlpatterns = [
    path("catalogue/", views.scheme_list, name="scheme-list"),
    path("linkages/", views.linkage_queue, name="linkage-queue"),
    path("linkages/<int:pk>/", views.linkage_detail, name="linkage-detail"),
    path("linkages/<int:pk>/documents-complete/", views.linkage_documents, name="linkage-documents"),
    path("linkages/<int:pk>/apply/", views.linkage_apply, name="linkage-apply"),
    path("linkages/<int:pk>/sanction/", views.linkage_sanction, name="linkage-sanction"),
    path("linkages/<int:pk>/receive/", views.linkage_receive, name="linkage-receive"),
    path("linkages/<int:pk>/reject/", views.linkage_reject, name="linkage-reject"),
    path("linkages/<int:pk>/reapply/", views.linkage_reapply, name="linkage-reapply"),
    path(
        "linkages/<int:pk>/documents/<int:document_pk>/scan/",
        views.linkage_document_scan,
        name="linkage-document-scan",
    ),
    path("cases/<case_number:case_number>/identify/", views.linkage_identify, name="linkage-identify"),
    path("cases/<case_number:case_number>/household/", views.household_detail_of_case, name="household-detail-of-case"),
    path("cases/<case_number:case_number>/household/new/", views.household_create, name="household-create"),
    path("cases/<case_number:case_number>/entitlement-card/", views.entitlement_card, name="entitlement-card"),
    path("households/<int:pk>/", views.household_detail, name="household-detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household-edit"),
    path("households/<int:pk>/children/", views.household_link_child, name="household-link-child"),
    path("households/<int:pk>/members/new/", views.member_create, name="member-create"),
    path("households/<int:pk>/documents/new/", views.document_create, name="document-create"),
    path("household-children/<int:pk>/edit/", views.household_child_edit, name="household-child-edit"),
    path("members/<int:pk>/edit/", views.member_edit, name="member-edit"),
    path("documents/<int:pk>/scan/", views.document_scan, name="document-scan"),
    path("villages/", views.village_options, name="village-options"),
]
