from django.urls import path

from . import views

app_name = "dues"

urlpatterns = [
    path("", views.ledger, name="ledger"),
    path("open/", views.month_open, name="open"),
    path("pay/", views.pay, name="pay"),
    path("pay-bulk/", views.pay_bulk, name="pay_bulk"),
    path("records/<int:pk>/correct/", views.pay_correct, name="pay_correct"),
    path("close/", views.month_close, name="close"),
    path("arrears/", views.arrears, name="arrears"),
    path("report/", views.report, name="report"),
    path("report/export.xlsx", views.export, name="export"),
    path("mine/", views.mine, name="mine"),
    path("members/<int:member_id>/", views.member_dues, name="member"),
    path("reductions/", views.reductions, name="reductions"),
    path("reductions/<int:pk>/decide/", views.reduction_decide, name="reduction_decide"),
]
