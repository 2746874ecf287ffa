from django.urls import path

from . import views

app_name = "orglife"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("roster/", views.roster, name="roster"),
    path("compliance/", views.compliance, name="compliance"),
    path("rules/", views.rules, name="rules"),
    path("standing/", views.standing, name="standing"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_download, name="photo"),
    path("<int:pk>/<str:action>/", views.meeting_act, name="act"),
]
