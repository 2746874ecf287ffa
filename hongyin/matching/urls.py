from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_new, name="new"),
    path("contacts/", views.contact_list, name="contacts"),
    path("contacts/<int:pk>/deal/", views.deal_new, name="deal_new"),
    path("contacts/<int:pk>/<str:action>/", views.contact_answer, name="contact_answer"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.post_detail, name="detail"),
    path("<int:pk>/withdraw/", views.post_withdraw, name="withdraw"),
    path("<int:pk>/refresh/", views.post_refresh, name="refresh"),
    path("<int:pk>/contact/", views.contact_new, name="contact_new"),
    path("<int:pk>/files/<int:att_pk>/", views.attachment, name="attachment"),
]
