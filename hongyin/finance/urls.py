from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("credit/", views.credit_list, name="credit"),
    path("credit/new/", views.credit_new, name="credit_new"),
    path("credit/products/", views.products, name="products"),
    path("credit/figures/", views.credit_figures, name="credit_figures"),
    path("credit/<int:pk>/", views.credit_detail, name="credit_detail"),
    path("credit/<int:pk>/<str:action>/", views.credit_act, name="credit_act"),
    path("offers/", views.offer_list, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/<str:action>/", views.ticket_act, name="ticket_act"),
    path("investment/", views.investment, name="investment"),
]
