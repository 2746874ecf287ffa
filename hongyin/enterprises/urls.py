from django.urls import path

from . import views, views_manage

app_name = "enterprises"

urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("export/", views.enterprise_export, name="export"),
    path("import/", views.import_start, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("industries/", views.industry_picker, name="industries"),
    path("pick/", views.enterprise_pick, name="pick"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("buildings/", views.building_list, name="building_list"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("chains/", views.chain_list, name="chain_list"),
    path("chains/<int:pk>/", views.chain_detail, name="chain_detail"),
    path("buildings/<int:pk>/floors/", views_manage.building_floor_add, name="building_floor_add"),
    path("buildings/<int:pk>/units/", views_manage.building_unit_add, name="building_unit_add"),
    path("buildings/<int:pk>/leases/", views_manage.building_lease_add, name="building_lease_add"),
    path("chains/<int:pk>/nodes/", views_manage.chain_node_add, name="chain_node_add"),
    path("chains/<int:pk>/enterprises/", views_manage.chain_enterprise_add, name="chain_enterprise_add"),
    path("chains/<int:pk>/platforms/", views_manage.chain_platform_add, name="chain_platform_add"),
    path(
        "chains/<int:pk>/platforms/<int:platform_pk>/edit/",
        views_manage.chain_platform_edit,
        name="chain_platform_edit",
    ),
    path(
        "chains/<int:pk>/platforms/<int:platform_pk>/delete/",
        views_manage.chain_platform_delete,
        name="chain_platform_delete",
    ),
    path("<int:pk>/incubations/", views_manage.incubation_add, name="incubation_add"),
    path(
        "<int:pk>/incubations/<int:stay_pk>/graduate/",
        views_manage.incubation_graduate,
        name="incubation_graduate",
    ),
    path("<int:pk>/grid/", views_manage.grid_place, name="grid_place"),
    path("link-requests/", views_manage.link_requests, name="link_requests"),
    path("link-requests/<int:pk>/decide/", views_manage.link_request_decide, name="link_request_decide"),
]
