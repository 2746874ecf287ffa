"""What the organization pages and services need from the members app above them, as hook points it registers
into at start-up (`hongyin/members/org_hooks.py`, named by its manifest): orgs names no member model or service.

A tab of the organization page is an `OrgTab` registered into DETAIL_TABS; the other points take exactly one
function each (the members app must be installed, `hooks.call_one`), except POST_ASSIGNED (zero or more).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from hongyin.common import hooks


@dataclass(frozen=True)
class OrgTab:
    """A tab of the organization page added by another app: shown to users with `perm`, after the tab whose
    `order` is lower (basics 10, committee 20, children 40, history 50); `context(request, org) -> dict` is called
    only when the tab is open, and `template` renders it inside the page's tab pane."""

    key: str
    label: str
    perm: str
    order: int
    template: str
    context: Callable


DETAIL_TABS = hooks.define("orgs.detail_tabs")  # OrgTab

# (org) -> {"total": n, "full": n}: the organization's own active members (the branch regulations' figures)
MEMBER_COUNTS = hooks.define("orgs.member_counts")
# (path | None) -> [(org_id, n)]: active members per organization under `path` (None: every one), one grouped query
MEMBERS_PER_ORG = hooks.define("orgs.members_per_org")
# (home_path, eligible) -> members under `home_path`, a queryset: the active full ones ordered by name (who may hold
# a post), or with eligible=False every record (the service explains why a posted one cannot serve)
POST_CANDIDATES = hooks.define("orgs.post_candidates")
# (user, pk) -> the member, in the user's member scope, or 404 (the API's post holder)
MEMBER_FOR_USER = hooks.define("orgs.member_for_user")
# (actor, org, member, post_label, on) -> None: a post was given; the member's timeline records it (same transaction)
POST_ASSIGNED = hooks.define("orgs.post_assigned")
# (user, org, start, end) -> (member_stats, member_growth): the member half of the statistics API
MEMBER_FIGURES = hooks.define("orgs.member_figures")


def detail_tabs() -> list[OrgTab]:
    return sorted(hooks.registered(DETAIL_TABS), key=lambda t: t.order)


def member_counts(org) -> dict:
    return hooks.call_one(MEMBER_COUNTS, org)


def members_per_org(path: str | None) -> list[tuple[int, int]]:
    return hooks.call_one(MEMBERS_PER_ORG, path)


def post_candidates(home_path: str, *, eligible: bool = True):
    return hooks.call_one(POST_CANDIDATES, home_path, eligible=eligible)


def member_for_user(user, pk: int):
    return hooks.call_one(MEMBER_FOR_USER, user, pk)


def post_assigned(*, actor, org, member, post_label: str, on: date) -> None:
    hooks.call_all(POST_ASSIGNED, actor=actor, org=org, member=member, post_label=post_label, on=on)


def member_figures(user, org, start: date, end: date) -> tuple[dict, list]:
    return hooks.call_one(MEMBER_FIGURES, user, org, start, end)
