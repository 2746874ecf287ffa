from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrgsConfig(AppConfig):
    name = "hongyin.orgs"
    label = "orgs"
    verbose_name = pgettext_lazy("app", "党组织")
