from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("", views.home, name="home"),
    path("papers/<int:pk>/", views.paper, name="paper"),
    path("papers/<int:pk>/start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("attempts/<int:pk>/submit/", views.submit, name="submit"),
    path("manage/", views.papers, name="papers"),
    path("manage/new/", views.paper_new, name="paper_new"),
    path("manage/<int:pk>/", views.paper_admin, name="paper_admin"),
    path("manage/<int:pk>/close/", views.paper_close, name="paper_close"),
    path("manage/<int:pk>/results/", views.results, name="results"),
    path("grading/", views.grading, name="grading"),
    path("grading/<int:pk>/", views.grade, name="grade"),
    path("bank/", views.bank, name="bank"),
    path("bank/new/", views.question_new, name="question_new"),
    path("bank/<int:pk>/", views.question_edit, name="question_edit"),
    path("bank/<int:pk>/active/", views.question_active, name="question_active"),
    path("bank/import/", views.import_start, name="import"),
    path("bank/import/template/", views.import_template, name="import_template"),
]
