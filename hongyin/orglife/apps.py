from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class OrglifeConfig(AppConfig):
    name = "hongyin.orglife"
    label = "orglife"
    verbose_name = pgettext_lazy("app", "组织生活")

    def ready(self) -> None:
        from hongyin.common import hooks
        from hongyin.members.views import MEMBER_PAGE_EXTRAS

        from .views import member_page_standing

        hooks.register(MEMBER_PAGE_EXTRAS, member_page_standing)
