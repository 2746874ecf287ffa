from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.member_list_view, name="list"),
    path("me/", views.my_record, name="me"),
    path("export/", views.export, name="export"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/move/", views.move, name="move"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("stats/", views.stats, name="stats"),
    path("import/", views.import_start, name="import"),
    path("import/template/", views.template, name="template"),
    path("import/<int:pk>/", views.import_status, name="import_status"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
]
