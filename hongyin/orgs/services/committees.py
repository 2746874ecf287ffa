"""Committees: posts (secretary, deputy, members), their terms, and posts in bulk for the seed."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from .. import extensions
from ..models import (
    BRANCH_KINDS,
    CommitteePost,
    Organization,
    OrgEventKind,
    OrgKind,
    Post,
)
from ..rules import COMMITTEE_MAX, committee_size_limit, member_counts
from .tree import check_org_scope, org_history_add


@transaction.atomic
def committee_assign(*, actor, org: Organization, member, post: str, from_on: date | None = None) -> CommitteePost:
    """Give a member a post in the organization's committee. Secretary and deputy are single posts: the previous
    holder's post ends. The size rules of the branch regulations are enforced."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_org_scope(actor, org)
    from_on = from_on or date.today()
    if post not in Post.values:
        raise DomainError(_("职务不正确。"), field="post")
    if org.dissolved_on:
        raise DomainError(_("该组织已撤销。"))
    if org.kind == OrgKind.GROUP and post not in (Post.SECRETARY, Post.DEPUTY):
        raise DomainError(_("党小组只设组长（书记栏）和副组长。"), field="post")
    home = org.path[: -Organization.steplen] if org.kind == OrgKind.GROUP else org.path
    if member.left_on or not member.org.path.startswith(home):
        raise DomainError(_("班子成员应是本组织（含下级）的在册党员。"), field="member")
    if member.status != "full":
        raise DomainError(_("预备党员不能担任班子成员。"), field="member")
    if from_on > date.today():
        raise DomainError(_("任职日期不能晚于今天。"), field="from_on")
    current = list(CommitteePost.objects.filter(org=org, to_on__isnull=True).select_related("member"))
    closing = [p for p in current if p.member_id == member.pk]
    if post in (Post.SECRETARY, Post.DEPUTY):
        closing += [p for p in current if p.post == post and p.member_id != member.pk]
    staying = [p for p in current if p not in closing]
    people = {p.member_id for p in staying} | {member.pk}
    if org.kind in BRANCH_KINDS:
        allowed, limit = committee_size_limit(member_counts(org)["full"])
        if post not in allowed:
            raise DomainError(_("正式党员不足 7 人的党支部不设支部委员会，只设书记（可设副书记）。"), field="post")
        if len(people) > limit:
            raise DomainError(
                _("支部委员会不能超过 %(n)s 人。") % {"n": limit}
                if limit == COMMITTEE_MAX
                else _("只能设书记和副书记。"),
                field="post",
            )
    for p in closing:
        p.to_on = from_on
        p.save(update_fields=["to_on"])
    new = CommitteePost.objects.create(org=org, member=member, post=post, from_on=from_on)
    label = Post(post).label
    org_history_add(org, OrgEventKind.COMMITTEE, _("%(m)s 任%(p)s") % {"m": member.name, "p": label}, actor, on=from_on)
    extensions.post_assigned(actor=actor, org=org, member=member, post_label=label, on=from_on)
    audit.record(
        actor=actor,
        action="org.committee_assign",
        obj=new,
        org=org,
        details={"post": post, "member": member.pk, "ended": [p.pk for p in closing]},
    )
    return new


@transaction.atomic
def committee_end(*, actor, post: CommitteePost, to_on: date | None = None) -> CommitteePost:
    post = CommitteePost.objects.select_for_update(of=("self",)).select_related("org", "member").get(pk=post.pk)
    check_org_scope(actor, post.org)
    to_on = to_on or date.today()
    if post.to_on:
        raise DomainError(_("该职务已于 %(d)s 结束。") % {"d": post.to_on})
    if to_on < post.from_on:
        raise DomainError(_("离任日期不能早于任职日期。"), field="to_on")
    post.to_on = to_on
    post.save(update_fields=["to_on"])
    org_history_add(
        post.org,
        OrgEventKind.COMMITTEE,
        _("%(m)s 不再担任%(p)s") % {"m": post.member.name, "p": post.get_post_display()},
        actor,
        on=to_on,
    )
    audit.record(actor=actor, action="org.committee_end", obj=post, org=post.org, details={"post": post.post})
    return post


@transaction.atomic
def term_start(*, actor, org: Organization, started_on: date, years: int | None = None) -> Organization:
    """An election (换届): a new term starts; its length is 3 years (5 for village/community) unless given."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_org_scope(actor, org)
    if started_on > date.today():
        raise DomainError(_("换届日期不能晚于今天。"), field="started_on")
    if years is not None and not 1 <= years <= 5:
        raise DomainError(_("任期应为 1 至 5 年。"), field="years")
    org.term_started_on = started_on
    if years is not None:
        org.term_years = years
    org.save(update_fields=["term_started_on", "term_years", "updated_at"])
    org_history_add(
        org,
        OrgEventKind.TERM,
        _("换届，本届任期 %(y)s 年，至 %(e)s") % {"y": org.term_length, "e": org.term_ends_on},
        actor,
        on=started_on,
    )
    audit.record(actor=actor, action="org.term_start", obj=org, org=org, details={"on": started_on, "years": years})
    return org


@transaction.atomic
def posts_bulk_create(*, actor, posts: list[tuple], source: str = "seed") -> int:
    """Many committee posts at once (seed, import): [(org, member, post, from_on)], one audit event.
    Each holder must be a full, active member of the organization; single posts may not be doubled."""
    objs = []
    seen_single = set()
    for org, member, post, from_on in posts:
        check_org_scope(actor, org)
        if post not in Post.values:
            raise DomainError(_("职务不正确。"), field="post")
        if member.left_on or member.status != "full" or not member.org.path.startswith(org.path):
            raise DomainError(_("班子成员应是本组织（含下级）的在册正式党员。"), field="member")
        if post in (Post.SECRETARY, Post.DEPUTY):
            if (org.pk, post) in seen_single:
                raise DomainError(_("书记、副书记只能各设一名。"), field="post")
            seen_single.add((org.pk, post))
        objs.append(CommitteePost(org=org, member=member, post=post, from_on=from_on))
    CommitteePost.objects.bulk_create(objs, batch_size=1000)
    audit.record(actor=actor, action="org.committee_bulk", details={"source": source, "count": len(objs)})
    return len(objs)
