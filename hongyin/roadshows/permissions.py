"""Who sees what.

Events: an organization scope sees the events one of whose organizers is in its subtree (the zone's root: all);
an enterprise scope (the enterprise's contact) sees the events where its enterprise presents or signed up, never
their outcomes of other enterprises. Managing an event takes an organization scope over one of its organizers.
The service catalogue is the zone's reference list (every holder of `roadshows.services` reads it); a committee
edits the entries it provides. A service request is visible exactly when its appeal is (hongyin.appeals)."""

from django.db.models import Q, QuerySet

from hongyin.appeals.permissions import appeals_visible_to
from hongyin.common.permissions import covers_whole_zone, get_or_404
from hongyin.common.roles import ScopeKind, roles_with
from hongyin.orgs.models import Organization

from .models import Event, Offering, Outcome, Package, PackageRequest, Presentation, Registration, ServiceRequest

VIEW, MANAGE = "roadshows.view", "roadshows.manage"
SERVICES, CATALOGUE, REQUEST = "roadshows.services", "roadshows.services_manage", "roadshows.request"


def _assignments(user, perm: str) -> list:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    allowed = roles_with(perm)
    return [a for a in user.assignments if a.role in allowed]


def _org_paths(user, perm: str) -> list[str]:
    return [a.org.path for a in _assignments(user, perm) if a.scope_kind == ScopeKind.ORG and a.org_id]


def _enterprise_ids(user, perm: str) -> list[int]:
    return [
        a.enterprise_id for a in _assignments(user, perm) if a.scope_kind == ScopeKind.ENTERPRISE and a.enterprise_id
    ]


def _organized_q(paths: list[str]) -> Q | None:
    if not paths:
        return None
    orgs = Q()
    for path in paths:
        orgs |= Q(path__startswith=path)
    through = Event.organizers.through.objects.filter(organization__in=Organization.objects.filter(orgs))
    return Q(pk__in=through.values("event_id"))


def events_visible_to(user, perm: str = VIEW) -> QuerySet[Event]:
    if covers_whole_zone(user, perm):
        return Event.objects.all()
    q = _organized_q(_org_paths(user, perm))
    firms = _enterprise_ids(user, perm)
    if firms:
        part = Q(pk__in=Presentation.objects.filter(enterprise_id__in=firms).values("event_id")) | Q(
            pk__in=Registration.objects.filter(enterprise_id__in=firms).values("event_id")
        )
        q = part if q is None else q | part
    return Event.objects.none() if q is None else Event.objects.filter(q)


def events_managed_by(user) -> QuerySet[Event]:
    if covers_whole_zone(user, MANAGE):
        return Event.objects.all()
    q = _organized_q(_org_paths(user, MANAGE))
    return Event.objects.none() if q is None else Event.objects.filter(q)


def get_event_for_user_or_404(user, pk) -> Event:
    return get_or_404(lambda: events_visible_to(user).get(pk=pk))


def can_manage(user, event: Event) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role_perm(MANAGE)) and (
        events_managed_by(user).filter(pk=event.pk).exists()
    )


def organizer_choices(user) -> QuerySet[Organization]:
    """The committees a user may name as organizers: those in its manage scope (not the branches)."""
    paths = _org_paths(user, MANAGE)
    if not paths:
        return Organization.objects.none()
    q = Q()
    for path in paths:
        q |= Q(path__startswith=path)
    return Organization.objects.filter(q, kind__in=["working_committee", "committee", "general_branch"]).filter(
        dissolved_on__isnull=True
    )


def outcomes_visible_to(user) -> QuerySet[Outcome]:
    """Outcomes of the events the user manages, and an enterprise contact's own enterprise's."""
    q = Q(event__in=events_managed_by(user).values("pk"))
    firms = _enterprise_ids(user, VIEW)
    if firms:
        q |= Q(enterprise_id__in=firms)
    return Outcome.objects.filter(q)


def get_outcome_for_user_or_404(user, pk) -> Outcome:
    return get_or_404(lambda: outcomes_visible_to(user).select_related("event").get(pk=pk))


# --- the catalogue and the requests ---------------------------------------------------------------------------------


def offerings_visible_to(user) -> QuerySet[Offering]:
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(SERVICES)):
        return Offering.objects.none()
    return Offering.objects.filter(is_active=True)


def packages_visible_to(user) -> QuerySet[Package]:
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(SERVICES)):
        return Package.objects.none()
    return Package.objects.filter(is_active=True)


def offerings_managed_by(user) -> QuerySet[Offering]:
    if covers_whole_zone(user, CATALOGUE):
        return Offering.objects.all()
    paths = _org_paths(user, CATALOGUE)
    if not paths:
        return Offering.objects.none()
    q = Q()
    for path in paths:
        q |= Q(provider__path__startswith=path)
    return Offering.objects.filter(q)


def requests_visible_to(user) -> QuerySet[ServiceRequest]:
    if not (getattr(user, "is_authenticated", False) and user.has_role_perm(SERVICES)):
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.filter(appeal__in=appeals_visible_to(user).values("pk"))


def package_requests_visible_to(user) -> QuerySet[PackageRequest]:
    return PackageRequest.objects.filter(pk__in=requests_visible_to(user).values("package_request_id"))


def get_package_request_for_user_or_404(user, pk) -> PackageRequest:
    return get_or_404(lambda: package_requests_visible_to(user).select_related("package", "enterprise").get(pk=pk))
