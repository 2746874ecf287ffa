"""What the members app adds to the pages and services of the apps below it (their hook points): the organization
page's member and figures tabs, the member counts the branch regulations and the tree need, committee post
holders and their timeline row (hongyin/orgs/extensions.py); the enterprise page's people (hongyin/enterprises/
extensions.py). Imported once at start-up (the manifest's `hooks`)."""

from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common import hooks
from hongyin.common.fields import mask_name
from hongyin.enterprises import extensions as enterprise_points
from hongyin.orgs import charts
from hongyin.orgs import extensions as org_points
from hongyin.orgs.models import OrgCategory, OrgKind
from hongyin.orgs.selectors import org_growth, org_stats

from .choices import ETHNICITY_LABELS, Education, Gender, MemberCategory, MemberStatus
from .models import Member, MemberEventKind
from .permissions import can_view_personal_data, get_member_for_user_or_404, members_visible_to
from .selectors import MemberFilter, member_growth, member_list, member_stats
from .services import history_add

# -- the organization page's tabs


def _members_tab(request, org) -> dict:
    qs = member_list(request.user, MemberFilter(org=org))
    return {
        "member_total": qs.count(),
        "members": list(qs[:50]),
        "show_names": can_view_personal_data(request.user),
    }


def _figures_tab(request, org) -> dict:
    user = request.user
    stats = member_stats(user, org)
    ostats = org_stats(user, org)
    ethnicities = stats["ethnicity"].items()

    def labelled(data, choices):
        names = dict(choices.choices) if choices else {}
        return [(str(names.get(k, k or _("未填写"))), v) for k, v in data.items()]

    # from the first full month after founding (the month of founding is partial), at most ten years back
    founded = max(org.founded_on or date(2016, 1, 1), date(2016, 1, 1))
    start = date(founded.year + (founded.month == 12), founded.month % 12 + 1, 1) if founded.day > 1 else founded
    end = date.today()
    members = member_growth(user, org, start, end)
    orgs = org_growth(user, org, start, end)
    months = [m for m, _n in members]
    tables = [
        (_("人员类别"), labelled(stats["category"], MemberCategory)),
        (_("党员状态"), labelled(stats["status"], MemberStatus)),
        (_("性别"), labelled(stats["gender"], Gender)),
        (_("年龄段"), list(stats["age"].items())),
        (_("学历"), labelled(stats["education"], Education)),
        (
            _("民族"),
            [(str(ETHNICITY_LABELS.get(k, k or _("未填写"))), n) for k, n in sorted(ethnicities, key=lambda i: -i[1])],
        ),
        (_("入党年份"), [(str(k), v) for k, v in stats["joined_year"].items()]),
        (_("组织类型"), labelled(ostats["kind"], OrgKind)),
        (_("组织类别"), labelled(ostats["category"], OrgCategory)),
    ]
    chart_list = []
    for title, pairs in tables:
        if title in (_("入党年份"), _("年龄段"), _("学历")):
            chart_list.append((title, charts.bars(title, pairs), pairs))
        else:
            chart_list.append((title, charts.pie(title, pairs), pairs))
    growth = list(zip(months, [n for _m, n in orgs], [n for _m, n in members], strict=True))
    return {
        "stats": stats,
        "ostats": ostats,
        "charts": chart_list,
        "growth_chart": charts.lines(
            _("组织和党员数量增长"),
            months,
            [(_("党组织"), [n for _m, n in orgs]), (_("党员"), [n for _m, n in members])],
        ),
        "growth": growth,
        "growth_start": growth[0] if growth else None,
        "growth_end": growth[-1] if growth else None,
    }


hooks.register(
    org_points.DETAIL_TABS,
    org_points.OrgTab(
        "members", gettext_lazy("党员"), "members.view", 30, "members/org_tabs/members.html", _members_tab
    ),
)
hooks.register(
    org_points.DETAIL_TABS,
    org_points.OrgTab(
        "figures", gettext_lazy("统计"), "members.view", 60, "members/org_tabs/figures.html", _figures_tab
    ),
)

# -- counts and committee posts


def member_counts(org) -> dict:
    return Member.objects.filter(org=org, left_on__isnull=True).aggregate(
        total=Count("pk"), full=Count("pk", filter=Q(status="full"))
    )


def members_per_org(path: str | None) -> list[tuple[int, int]]:
    members = Member.objects.filter(left_on__isnull=True)
    if path is not None:
        members = members.filter(org__path__startswith=path)
    return list(members.order_by().values_list("org_id").annotate(n=Count("pk")).values_list("org_id", "n"))


def post_candidates(home_path: str, *, eligible: bool = True):
    qs = Member.objects.filter(org__path__startswith=home_path)
    if eligible:
        qs = qs.filter(left_on__isnull=True, status="full").order_by("name_pinyin")
    return qs


def post_assigned(*, actor, org, member, post_label: str, on: date) -> None:
    history_add(
        member=member,
        kind=MemberEventKind.POST,
        on=on,
        to_org=org,
        summary=_("任“%(o)s”%(p)s") % {"o": org.name, "p": post_label},
        actor=actor,
    )


def member_figures(user, org, start: date, end: date) -> tuple[dict, list]:
    return member_stats(user, org), member_growth(user, org, start, end)


hooks.register(org_points.MEMBER_COUNTS, member_counts)
hooks.register(org_points.MEMBERS_PER_ORG, members_per_org)
hooks.register(org_points.POST_CANDIDATES, post_candidates)
hooks.register(org_points.MEMBER_FOR_USER, get_member_for_user_or_404)
hooks.register(org_points.POST_ASSIGNED, post_assigned)
hooks.register(org_points.MEMBER_FIGURES, member_figures)


# -- the enterprise page


def enterprise_people(request, enterprise, tab: str) -> dict:
    """The people tab's members employed there whom the viewer may see (names masked without personal data)."""
    if tab != "people" or not request.user.has_role_perm("members.view"):
        return {}
    members = list(
        members_visible_to(request.user)
        .filter(enterprise=enterprise, left_on__isnull=True)
        .select_related("org")
        .order_by("name")[:200]
    )
    if not can_view_personal_data(request.user):
        for m in members:
            m.name = mask_name(m.name)
    return {"members": members}


def members_employed(enterprise) -> int:
    return Member.objects.filter(enterprise=enterprise, left_on__isnull=True).count()


hooks.register(enterprise_points.PAGE_TABS, enterprise_people)
hooks.register(enterprise_points.MEMBERS_EMPLOYED, members_employed)
