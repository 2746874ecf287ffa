from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class QuizzesConfig(AppConfig):
    name = "hongyin.quizzes"
    label = "quizzes"
    verbose_name = pgettext_lazy("app", "知识测试")
