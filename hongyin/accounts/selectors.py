from datetime import timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.audit.models import AuditEvent

from .models import ApiToken, RoleAssignment, User

# The states the system admin filters accounts by; the workbench counts them the same way (user_figures).
USER_STATES = {
    "active": (_("启用账号"), Q(is_active=True)),
    "disabled": (_("停用账号"), Q(is_active=False)),
    "must_change": (_("须修改密码"), Q(must_change_password=True)),
}


def users_in_state(state: str = "") -> QuerySet[User]:
    """All accounts, or those in one of USER_STATES (an unknown state filters nothing)."""
    entry = USER_STATES.get(state)
    return User.objects.filter(entry[1]) if entry else User.objects.all()


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def role_holders(q: str = "") -> QuerySet[User]:
    """The role list's users: those holding a role or, with a search, any account matching it."""
    users = User.objects.order_by("username")
    if q:
        return users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return users.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))


# The sign-in failures the security admin watches: a wrong password, or a try on a locked account.
SIGN_IN_FAILURES = {"failed": (_("登录失败"), "auth.login_failed"), "locked": (_("锁定期内的尝试"), "auth.lockout")}
SIGN_IN_WINDOWS = {24: _("24 小时"), 168: _("7 天"), 720: _("30 天")}


def sign_in_failures(*, hours: int = 24, kind: str = "") -> QuerySet[AuditEvent]:
    """Failed sign-ins in the last `hours` (one of SIGN_IN_WINDOWS), of one kind of SIGN_IN_FAILURES or both."""
    hours = hours if hours in SIGN_IN_WINDOWS else 24
    actions = [SIGN_IN_FAILURES[kind][1]] if kind in SIGN_IN_FAILURES else [a for _l, a in SIGN_IN_FAILURES.values()]
    since = timezone.now() - timedelta(hours=hours)
    return AuditEvent.objects.filter(action__in=actions, at__gte=since).order_by("-at", "-id")
