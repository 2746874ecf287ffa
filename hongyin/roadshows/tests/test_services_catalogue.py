"""One-stop services: a request is an appeal created through hongyin.appeals' services, routed to the catalogue
entry's department with its category's SLA; a package request is split into one request per part, each followed
to its end, and the package is done when all parts are."""

import json

import pytest
from django.urls import reverse

from hongyin.appeals import services as appeal_services
from hongyin.appeals.models import Appeal, AppealStatus
from hongyin.common.errors import DomainError
from hongyin.enterprises.models import Enterprise
from hongyin.roadshows import selectors, services
from hongyin.roadshows.models import Offering, Package, ServiceRequest
from hongyin.roadshows.workbench import my_requests

pytestmark = pytest.mark.django_db


@pytest.fixture
def package():
    return Package.objects.get(name="追光易租")


@pytest.fixture
def firm(users):
    return Enterprise.objects.get(pk=users["enterprise_contact"].assignments[0].enterprise_id)


def _finish(appeal: Appeal) -> None:
    appeal_services.appeal_accept(actor=None, appeal=appeal)
    appeal_services.appeal_reply(
        actor=None, appeal=Appeal.objects.get(pk=appeal.pk), text="已办理", final=True, resolved=True
    )
    appeal_services.appeal_close(actor=None, appeal=Appeal.objects.get(pk=appeal.pk))


def test_a_request_is_an_appeal_routed_to_the_service_department(users, firm):
    offering = Offering.objects.get(name="政策辅导")
    req = services.service_request(actor=users["enterprise_contact"], offering=offering, enterprise=firm, note="申报")
    a = req.appeal
    assert a.department == offering.department and a.category == offering.category
    assert a.status == AppealStatus.DISPATCHED and a.resolve_due is not None
    assert a.submitted_by == users["enterprise_contact"]
    assert req in my_requests(users["enterprise_contact"])["rows"]


def test_a_package_is_split_and_done_when_all_parts_are(users, firm, package):
    contact = users["enterprise_contact"]
    pr = services.package_request(actor=contact, package=package, enterprise=firm, note="扩产")
    progress = selectors.package_progress(user=contact, package_request=pr)
    assert [p.offering.name for p in progress.parts] == ["股权投资", "设备租赁", "定制厂房"]
    assert len({p.appeal.department_id for p in progress.parts}) == 2  # banking twice, land once
    assert not progress.is_done
    for part in progress.parts[:2]:
        _finish(part.appeal)
    progress = selectors.package_progress(user=contact, package_request=pr)
    assert progress.done == 2 and not progress.is_done
    _finish(progress.parts[2].appeal)
    assert selectors.package_progress(user=contact, package_request=pr).is_done


def test_a_firm_outside_the_scope_is_refused_and_nothing_written(users, package):
    other = Enterprise.objects.exclude(pk=users["enterprise_contact"].assignments[0].enterprise_id).first()
    before = (Appeal.objects.count(), ServiceRequest.objects.count())
    with pytest.raises(DomainError, match="服务范围"):
        services.package_request(actor=users["enterprise_contact"], package=package, enterprise=other)
    assert (Appeal.objects.count(), ServiceRequest.objects.count()) == before


def test_the_contact_requests_through_the_page_and_sees_the_parts(as_user, users, package, firm):
    client = as_user("enterprise_contact")
    page = client.get(reverse("roadshows:services"))
    assert page.status_code == 200 and "追光易租" in page.content.decode()
    r = client.post(reverse("roadshows:package_apply", args=[package.pk]), {"enterprise": firm.pk, "note": "要厂房"})
    assert r.status_code == 302
    detail = client.get(r["Location"])
    text = detail.content.decode()
    assert detail.status_code == 200 and "设备租赁" in text and "定制厂房" in text
    assert client.get(reverse("roadshows:requests")).status_code == 200
    # another firm's contact (here: the building committee, which does not serve it) sees nothing of it
    pr_id = int(r["Location"].rstrip("/").rsplit("/", 1)[1])
    assert as_user("building_admin").get(reverse("roadshows:package_request", args=[pr_id])).status_code == 404


def test_api_package_request(as_user, package, firm):
    client = as_user("enterprise_contact")
    assert client.get("/api/v1/roadshows/services").status_code == 200
    r = client.post(
        f"/api/v1/roadshows/packages/{package.pk}/requests",
        json.dumps({"enterprise_id": firm.pk, "note": "api"}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert len(body["parts"]) == 3 and not body["done"]
    assert client.get(f"/api/v1/roadshows/package-requests/{body['id']}").json()["parts_done"] == 0
