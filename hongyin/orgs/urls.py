from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<int:pk>/children/", views.children, name="children"),
]
