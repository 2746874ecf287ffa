from django.urls import path

from . import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("materials/new/", views.material_new, name="material_new"),
    path("materials/<int:pk>/", views.material_detail, name="material"),
    path("materials/<int:pk>/file/", views.material_file, name="material_file"),
    path("materials/<int:pk>/beat/", views.beat, name="beat"),
    path("materials/<int:pk>/notes/", views.note_add, name="note_add"),
    path("notes/", views.notes, name="notes"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path("courses/", views.courses, name="courses"),
    path("courses/new/", views.course_new, name="course_new"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("threads/", views.threads, name="threads"),
    path("threads/new/", views.thread_new, name="thread_new"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/posts/", views.post_add, name="post_add"),
    path("posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("stats/", views.stats, name="stats"),
    path("feedback/", views.feedback, name="feedback"),
]
