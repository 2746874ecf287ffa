from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "hongyin.members"
    label = "members"
    verbose_name = pgettext_lazy("app", "党员")

    def ready(self) -> None:
        from hongyin.common import hooks
        from hongyin.common.unmask import register_unmaskable
        from hongyin.orgs.services import ORG_MERGING

        from .permissions import get_member_for_user_or_404
        from .services import members_follow_merge

        hooks.register(ORG_MERGING, members_follow_merge)

        register_unmaskable(
            "members.member",
            ["id_number", "phone"],
            get_for_user=get_member_for_user_or_404,
            org_of=lambda m: m.org,
        )
