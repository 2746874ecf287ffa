from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("ranking/", views.ranking, name="ranking"),
    path("rules/", views.rules, name="rules"),
    path("adjust/", views.adjust, name="adjust"),
]
