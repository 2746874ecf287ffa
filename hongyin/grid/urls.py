from django.urls import path

from . import views

app_name = "grid"

urlpatterns = [
    path("", views.coverage, name="coverage"),
    path("cells/<int:pk>/lacking/", views.lacking, name="lacking"),
    path("cells/<int:pk>/children/", views.cell_add, name="cell_add"),
    path("cells/<int:pk>/instructors/", views.assign_instructors, name="assign_instructors"),
]
