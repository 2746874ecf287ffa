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
    path("absent/", views.absent, name="absent"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/new/", views.guide_new, name="guide_new"),
    path("guides/<int:pk>/", views.guide_detail, name="guide"),
    path("guides/<int:pk>/edit/", views.guide_edit, name="guide_edit"),
    path("guides/<int:pk>/publish/", views.guide_publish, name="guide_publish"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("<int:pk>/photos/<int:photo_pk>/", views.photo_download, name="photo"),
    path("<int:pk>/<str:action>/", views.meeting_act, name="act"),
]
