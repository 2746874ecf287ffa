"""Writes on accounts: users, role assignments (with the separation of admin roles), passwords, API tokens."""

import re
import secrets
import string
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.roles import ADMIN_ROLES, ROLE_SCOPE, TWO_FACTOR_ROLES, Role
from hongyin.common.scopes import SCOPE_FIELDS, kind_of

from .models import ApiToken, PasswordHistory, RoleAssignment, TokenScope, User, UserSession

RECOVERY_CODES = 8


def _require(actor: User | None, perm: str) -> None:
    """三权分立 in the services: actor None is the system itself (commands, demo seeding)."""
    if actor is not None and not actor.has_role_perm(perm):
        raise PermissionDenied


def generate_password() -> str:
    """A one-time password that satisfies the rules (4 classes, 14 characters)."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(11))
        candidate = f"{body[:4]}-{body[4:]}#{secrets.randbelow(10)}"
        if any(c.isupper() for c in candidate) and any(c.islower() for c in candidate):
            return candidate


def _check_password_rules(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password")


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    must_change_password: bool = True,
    is_demo: bool = False,
) -> User:
    _require(actor, "accounts.manage_users")
    username = (username or "").strip()
    if not username or len(username) > 150 or not re.fullmatch(r"[\w.@+-]+", username):
        raise DomainError(_("用户名只能包含字母、数字和 @ . + - _，不超过 150 个字符。"), field="username")
    if not username:
        raise DomainError(_("请填写用户名。"), field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(_("用户名“%(u)s”已存在。") % {"u": username}, field="username")
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        is_demo=is_demo,
        must_change_password=must_change_password,
    )
    _check_password_rules(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    audit.record(actor=actor, action="user.create", obj=user, details={"username": username})
    return user


@transaction.atomic
def user_set_active(*, actor: User | None, user: User, active: bool) -> User:
    _require(actor, "accounts.manage_users")
    if actor is not None and actor.pk == user.pk and not active:
        raise DomainError(_("不能停用自己的账号。"), field="is_active")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        end_all_credentials(user)
    audit.record(actor=actor, action="user.enable" if active else "user.disable", obj=user)
    return user


def end_all_sessions(user: User, *, keep: str | None = None) -> int:
    """Delete every stored session of the user (but `keep`), found through the UserSession rows recorded at login."""
    rows = UserSession.objects.filter(user=user).exclude(session_key=keep or "")
    keys = list(rows.values_list("session_key", flat=True))
    ended, _detail = Session.objects.filter(session_key__in=keys).delete()
    rows.delete()
    return ended


def end_all_credentials(user: User, *, keep_session: str | None = None) -> None:
    """Credentials die with the password: every session (but the one kept) and every API token of the user."""
    end_all_sessions(user, keep=keep_session)
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def is_privileged(user: User) -> bool:
    """An admin-role account or a zone admin: only the security admin may reset its credentials."""
    return bool(set(user.role_assignments.values_list("role", flat=True)) & TWO_FACTOR_ROLES)


def _require_credential_right(actor: User | None, user: User) -> None:
    """Credentials of another account: the security admin for privileged accounts, the system admin for the rest."""
    _require(actor, "accounts.manage_credentials" if is_privileged(user) else "accounts.manage_users")


def _notify_owner(user: User, message) -> None:
    notify(user=user, title=message, url="/accounts/security/")


@transaction.atomic
def password_change(*, actor: User, user: User, new_password: str, old_password: str | None = None) -> User:
    """A new password ends every session and revokes every API token (the page signs its owner in again)."""
    if actor.pk != user.pk:
        _require_credential_right(actor, user)
    if old_password is not None and not user.check_password(old_password):
        raise DomainError(_("原密码不正确。"), field="old_password")
    _check_password_rules(new_password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = actor.pk != user.pk  # an admin reset makes the owner choose a new one
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    end_all_credentials(user)
    audit.record(actor=actor, action="user.password_change", obj=user, details={"by_admin": actor.pk != user.pk})
    if actor.pk != user.pk:
        _notify_owner(user, text("account.password_changed"))
    return user


@transaction.atomic
def user_reset_password(*, actor: User | None, user: User) -> str:
    """A one-time password the owner must change at the next login; returned once, the owner is notified.

    The system admin resets ordinary accounts; an admin-role account or a zone admin needs the security admin."""
    _require_credential_right(actor, user)
    if actor is not None and actor.pk == user.pk:
        raise DomainError(_("请在“修改密码”页面修改自己的密码。"), field="user")
    password = generate_password()
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    end_all_credentials(user)
    audit.record(actor=actor, action="user.password_reset", obj=user, details={"privileged": is_privileged(user)})
    _notify_owner(user, text("account.password_reset"))
    return password


@transaction.atomic
def second_factor_enroll(*, user: User, device: TOTPDevice, keep_session: str | None = None) -> list[str]:
    """The user confirms a new authenticator: it replaces the old one, with 8 new recovery codes (returned once).

    A re-enrolment ends the user's other sessions and revokes its API tokens, like a new password."""
    had_device = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).exists()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # one authenticator
    static, _created = StaticDevice.objects.get_or_create(user=user, name="recovery")
    static.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    if user.must_enroll_otp:
        user.must_enroll_otp = False
        user.save(update_fields=["must_enroll_otp"])
    if had_device:
        end_all_credentials(user, keep_session=keep_session)
    audit.record(actor=user, action="auth.otp_enroll", obj=user, details={"re_enrolment": had_device})
    return codes


@transaction.atomic
def second_factor_reset(*, actor: User | None, user: User) -> None:
    """Remove the user's authenticator and recovery codes and force a new enrolment at the next login.

    Only the user or, for another account, the security admin; every session and token of the user ends."""
    if actor is None or actor.pk != user.pk:
        _require(actor, "accounts.manage_credentials")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user.must_enroll_otp = True
    user.save(update_fields=["must_enroll_otp"])
    end_all_credentials(user)
    audit.record(actor=actor, action="auth.otp_reset", obj=user)
    if actor is None or actor.pk != user.pk:
        _notify_owner(user, text("account.second_factor_reset"))


def _scope_for(role: str, given: dict) -> dict:
    """The assignment's scope columns for `role`: exactly the declared field of the role's kind is set."""
    unknown = set(given) - set(SCOPE_FIELDS)
    if unknown:
        raise TypeError(f"role_grant() got unknown scope field(s) {sorted(unknown)}; declared: {SCOPE_FIELDS}")
    kind = kind_of(ROLE_SCOPE[role])
    if any(value is not None and (kind is None or field != kind.field) for field, value in given.items()):
        raise DomainError(_("该角色的授权范围类型不正确。"), field="scope")
    if kind is not None and given.get(kind.field) is None:
        raise DomainError(_("请为该角色选择授权范围（%(k)s）。") % {"k": kind.label}, field="scope")
    return {field: given.get(field) for field in SCOPE_FIELDS}


@transaction.atomic
def role_grant(*, actor: User | None, user: User, role: str, **scope) -> RoleAssignment:
    """Grant a role with its scope, given by the RoleAssignment field of the role's declared kind
    (`org=`, `grid_cell=`, `enterprise=`, `department=`, `financial_institution=`, `partner=`, `alliance_member=`).

    Refuses two admin roles on one account, or an admin role plus a business role."""
    _require(actor, "accounts.manage_roles")
    if actor is not None and actor.pk == user.pk:
        raise DomainError(_("不能给自己授予角色。"), field="user")
    if role not in Role.values:
        raise DomainError(_("未知角色。"), field="role")
    scope = _scope_for(role, scope)
    existing = set(User.objects.select_for_update().get(pk=user.pk).role_assignments.values_list("role", flat=True))
    if role in ADMIN_ROLES and existing - {role}:
        raise DomainError(_("三权分立：管理员角色不能与其他角色授予同一账号。"), field="role")
    if role not in ADMIN_ROLES and existing & ADMIN_ROLES:
        raise DomainError(_("三权分立：该账号已是管理员，不能再授予业务角色。"), field="role")
    if RoleAssignment.objects.filter(user=user, role=role, **scope).exists():
        raise DomainError(_("该账号已有此角色和范围。"), field="role")
    assignment = RoleAssignment.objects.create(user=user, role=role, granted_by=actor, **scope)
    user.__dict__.pop("_assignments_cache", None)
    audit.record(
        actor=actor,
        action="role.grant",
        obj=user,
        org=scope["org"],
        details={"role": role, "scope": assignment.scope_label},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | None, assignment: RoleAssignment) -> None:
    _require(actor, "accounts.manage_roles")
    if actor is not None and actor.pk == assignment.user_id:
        raise DomainError(_("不能撤销自己的角色。"), field="user")
    details = {"role": assignment.role, "scope": assignment.scope_label}
    user, org = assignment.user, assignment.org
    assignment.delete()
    end_all_sessions(user)
    audit.record(actor=actor, action="role.revoke", obj=user, org=org, details=details)


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, scope: str = TokenScope.READ, days: int | None = None
) -> tuple[ApiToken, str]:
    """A personal token, read-only unless asked, that expires after `days` (at most HONGYIN_API_TOKEN_DAYS)."""
    name = name.strip()
    if not name or len(name) > 80:
        raise DomainError(_("请填写令牌名称（不超过 80 个字符）。"), field="name")
    if scope not in TokenScope.values:
        raise DomainError(_("请选择令牌权限（只读或读写）。"), field="scope")
    limit = settings.HONGYIN_API_TOKEN_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise DomainError(_("有效期须在 1 到 %(n)d 天之间。") % {"n": limit}, field="days")
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        digest=ApiToken.digest_of(raw),
        hint=raw[:8],
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(actor=actor, action="api_token.create", obj=token, details={"scope": scope, "days": days})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk:
        raise DomainError(_("只能吊销自己的令牌。"))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor=actor, action="api_token.revoke", obj=token)
    return token
