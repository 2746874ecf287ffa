"""A member's record: registration, edits and the timeline; the checks every member write shares."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.fields import index_of, mask_id_number, mask_name, mask_phone
from hongyin.common.notification_texts import Text, text
from hongyin.common.permissions import check_in_scope
from hongyin.orgs.models import BRANCH_KINDS, Organization, OrgKind
from hongyin.orgs.permissions import ORG_SCOPE

from ..models import Member, MemberEventKind, MemberHistory
from ..permissions import MEMBER_SCOPE
from ..validation import clean_member

MANAGE = "members.manage"
EDITABLE = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "category",
    "employer_name",
    "job_title",
    "is_floating",
    "floating_place",
)
# Set only by their workflows (development: member_convert; transfers and moves: member_move; leaving:
# member_leave), never by a generic edit: a branch must not skip the conversion the committee above approves.
MEMBERSHIP = ("status", "joined_on", "full_member_on", "registered_on")
WORKFLOW_OWNED = frozenset({*MEMBERSHIP, "org", "org_id", "left_on", "leave_reason"})
PERSONAL = {"id_number": mask_id_number, "phone": mask_phone}


def check_org(actor, org: Organization, *, scope: bool = True) -> None:
    if actor is not None and scope:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
    if org.kind not in BRANCH_KINDS:
        raise DomainError(_("党员只能编入党支部（含联合党支部、临时党支部）。"), field="org")
    if org.dissolved_on:
        raise DomainError(_("“%(o)s”已撤销，不能编入党员。") % {"o": org.name}, field="org")


def check_group(org: Organization, party_group: Organization | None) -> None:
    if party_group is None:
        return
    if party_group.kind != OrgKind.GROUP or not party_group.path.startswith(org.path) or party_group.pk == org.pk:
        raise DomainError(_("党小组必须是所在党支部下的党小组。"), field="party_group")


def _masked(field: str, value) -> str:
    if value in (None, ""):
        return ""
    return PERSONAL[field](str(value)) if field in PERSONAL else str(value)


def history_add(
    *,
    member: Member,
    kind: str,
    summary,
    on: date | None = None,
    from_org: Organization | None = None,
    to_org: Organization | None = None,
    actor=None,
) -> MemberHistory:
    """A timeline row; other apps may add their own (development steps, transfers, dues flags). `summary` is a
    `notification_texts.text(code, **params)` (read in the reader's language) or a plain string."""
    code, params = "", {}
    if isinstance(summary, Text):
        code, params, summary = summary.code, summary.params, summary.title_in()
    return MemberHistory.objects.create(
        code=code,
        params=params,
        member=member,
        kind=kind,
        on=on or date.today(),
        from_org=from_org,
        to_org=to_org,
        summary=summary[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def member_create(
    *,
    actor,
    org: Organization,
    name: str,
    gender: str | None,
    birth_date: date | None,
    id_number: str,
    joined_on: date,
    ethnicity: str = "汉族",
    phone: str = "",
    education: str = "",
    category: str = "",
    status: str = "",
    full_member_on: date | None = None,
    registered_on: date | None = None,
    party_group: Organization | None = None,
    employer_name: str = "",
    enterprise=None,
    job_title: str = "",
    is_floating: bool = False,
    floating_place: str = "",
    user=None,
    history_summary: str = "",
) -> Member:
    check_org(actor, org)
    check_group(org, party_group)
    data = clean_member(
        {
            "name": name,
            "gender": gender,
            "birth_date": birth_date,
            "id_number": id_number,
            "joined_on": joined_on,
            "ethnicity": ethnicity,
            "phone": phone,
            "education": education,
            "category": category,
            "status": status,
            "full_member_on": full_member_on,
            "registered_on": registered_on,
            "employer_name": employer_name,
            "job_title": job_title,
            "is_floating": is_floating,
            "floating_place": floating_place,
        }
    )
    blind = index_of(data["id_number"])
    if Member.objects.filter(id_number_index=blind).exists():
        raise DomainError(_("该公民身份号码已有党员登记，不能重复录入。"), field="id_number")
    if user is not None and Member.objects.filter(user=user).exists():
        raise DomainError(_("该平台账号已关联其他党员。"), field="user")
    member = Member.objects.create(
        **data, id_number_index=blind, org=org, party_group=party_group, enterprise=enterprise, user=user
    )
    history_add(
        member=member,
        kind=MemberEventKind.CREATED,
        on=date.today(),
        to_org=org,
        summary=history_summary or text("member.history.registered", o=org.name),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.create",
        obj=member,
        org=org,
        details={"name": mask_name(member.name), "id_number": mask_id_number(member.id_number), "org": org.name},
    )
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **changes) -> Member:
    """Change the member's own fields (not the organization: use member_move)."""
    owned = set(changes) & WORKFLOW_OWNED
    if owned:
        raise DomainError(
            _("党员状态、入党和转正日期、组织关系只能通过发展党员、组织关系转接或离开党组织等流程办理：%(f)s")
            % {"f": "、".join(sorted(owned))}
        )
    unknown = set(changes) - set(EDITABLE) - {"party_group", "enterprise", "user"}
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能修改。"))
    current = {f: getattr(member, f) for f in (*EDITABLE, *MEMBERSHIP)}
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE}}
    if "id_number" in changes and "birth_date" not in changes:
        merged["birth_date"] = None  # re-derived from the new number
    data = clean_member(merged)
    if "party_group" in changes:
        check_group(member.org, changes["party_group"])
    before_after = {}
    for field in EDITABLE:
        if data[field] != current[field]:
            before_after[field] = [_masked(field, current[field]), _masked(field, data[field])]
            setattr(member, field, data[field])
    member.name_pinyin, member.name_initials = data["name_pinyin"], data["name_initials"]
    if data["id_number"] != current["id_number"]:
        blind = index_of(data["id_number"])
        if Member.objects.filter(id_number_index=blind).exclude(pk=member.pk).exists():
            raise DomainError(_("该公民身份号码已有党员登记，不能重复录入。"), field="id_number")
        member.id_number_index = blind
    for key in ("party_group", "enterprise", "user"):
        if key in changes and getattr(member, key) != changes[key]:
            before_after[key] = [str(getattr(member, key) or ""), str(changes[key] or "")]
            setattr(member, key, changes[key])
    if not before_after:
        return member
    member.save()
    if "name" in before_after:
        before_after["name"] = [mask_name(current["name"]), mask_name(data["name"])]
    labels = [str(Member._meta.get_field(f).verbose_name) for f in before_after]
    history_add(
        member=member,
        kind=MemberEventKind.UPDATED,
        summary=_("修改了：%(f)s") % {"f": "、".join(labels)},
        actor=actor,
    )
    audit.record(actor=actor, action="member.update", obj=member, org=member.org, details={"changes": before_after})
    return member
