from datetime import date

import pytest
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.common.errors import DomainError
from hongyin.common.models import Notification
from hongyin.enterprises.models import Enterprise, Tag
from hongyin.policies import services
from hongyin.policies.matching import policies_for_enterprise, qualifying_enterprises
from hongyin.policies.models import Policy, PolicyPush

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone_admin(db):
    return User.objects.get(username="zone_admin")


@pytest.fixture
def contact(db):
    return User.objects.get(username="enterprise_contact")


@pytest.fixture
def contact_enterprise(contact):
    return next(a.enterprise for a in contact.assignments if a.enterprise_id)


def _policy(actor, **data):
    base = {"title": "测试政策", "issuer": "科技局", "benefits": "研发补贴"}
    base.update(data)
    tags = base.pop("tags", None)
    return services.policy_save(actor=actor, data=base, tags=tags)


def test_seeded_library():
    assert Policy.objects.count() == 50
    assert Policy.objects.filter(tags__isnull=False).exists()


def test_qualifying_by_conditions(zone_admin):
    e = Enterprise.objects.exclude(industry_code="").first()
    p = _policy(zone_admin, industry_codes=e.industry_code[:3], employees_min=e.employees)
    q = qualifying_enterprises(p)
    assert e in q
    assert all(x.industry_code.startswith(e.industry_code[:3]) and x.employees >= e.employees for x in q)
    p2 = _policy(zone_admin, title="新企业", founded_after=date(2100, 1, 1))
    assert not qualifying_enterprises(p2).exists()


def test_an_industry_written_with_its_section_letter_qualifies_and_reads_as_its_name(zone_admin, as_user):
    from django.conf import settings

    e = Enterprise.objects.filter(industry_code__startswith="39", size_class__in=["small", "micro"]).first()
    p = _policy(zone_admin, title="电子信息产业扶持", industry_codes="C39 i65", size_classes="small micro")
    assert e in qualifying_enterprises(p)  # "C39" is division 39, as the form's hint writes it
    assert p in [c.policy for c in policies_for_enterprise(e, limit=500)]
    client = as_user("zone_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(p.get_absolute_url()).content.decode()
    assert "Industry: 39 Manufacture of computers, communication and other electronic equipment, 65 Software" in page
    assert "Size: Small, Micro" in page and "C39" not in page


def test_tag_condition_and_enterprise_ranking(zone_admin):
    tag = Tag.objects.first()
    e = tag.enterprises.first()
    specific = _policy(zone_admin, title="面向标签企业的研发补贴", tags=[tag], size_classes=e.size_class)
    broad = _policy(zone_admin, title="普惠政策")
    fits = [c.policy for c in policies_for_enterprise(e, limit=500)]
    assert specific in fits and broad in fits
    assert fits.index(specific) < fits.index(broad)
    other = Enterprise.objects.exclude(tags=tag).first()
    assert specific not in [c.policy for c in policies_for_enterprise(other, limit=500)]


def test_push_notifies_and_records_read_and_applied(
    zone_admin, contact, contact_enterprise, django_capture_on_commit_callbacks
):
    p = _policy(zone_admin)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.policy_push(actor=zone_admin, policy=p, enterprise_ids=[contact_enterprise.pk]) == 1
    assert services.policy_push(actor=zone_admin, policy=p, enterprise_ids=[contact_enterprise.pk]) == 0
    assert Notification.objects.filter(user=contact, title__contains=p.title).exists()
    push = services.policy_mark_read(actor=contact, policy=p)
    assert push.read_at is not None
    services.policy_mark_applied(actor=contact, policy=p)
    with pytest.raises(DomainError):
        services.policy_mark_applied(actor=contact, policy=p)


def test_a_push_notice_is_a_code_read_in_the_readers_language(
    zone_admin, contact, contact_enterprise, django_capture_on_commit_callbacks
):
    from django.utils import translation

    p = _policy(zone_admin, title="研发费用加计扣除政策")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.policy_push(actor=zone_admin, policy=p, enterprise_ids=[contact_enterprise.pk])
    note = Notification.objects.get(user=contact, code="policy.pushed")
    assert note.params == {"t": p.title} and note.title == f"新政策推送：{p.title}"
    with translation.override("en"):
        assert note.display_title == f"New policy for you: {p.title}"


def test_push_outside_scope_or_expired_is_refused(zone_admin, contact_enterprise):
    building_admin = User.objects.get(username="building_admin")
    p = _policy(zone_admin)
    outside = Enterprise.objects.filter(org__isnull=True).first()
    with pytest.raises(DomainError):
        services.policy_push(actor=building_admin, policy=p, enterprise_ids=[outside.pk])
    old = _policy(zone_admin, title="过期", effective_to=date(2020, 1, 1))
    with pytest.raises(DomainError, match="失效"):
        services.policy_push(actor=zone_admin, policy=old, enterprise_ids=[contact_enterprise.pk])
    assert not PolicyPush.objects.filter(policy__in=[p, old]).exists()


def test_bad_policy_input():
    with pytest.raises(DomainError) as exc:
        services.policy_save(actor=None, data={"title": "x", "issuer": "y", "employees_min": 10, "employees_max": 5})
    assert exc.value.field == "employees_max"


def test_pages_and_api(as_user, contact_enterprise):
    zone = as_user("zone_admin")
    p = Policy.objects.first()
    assert zone.get(reverse("policies:list")).status_code == 200
    r = zone.get(p.get_absolute_url())
    assert r.status_code == 200 and "qualifying" in r.content.decode()
    assert zone.get(reverse("policies:for_enterprise", args=[contact_enterprise.pk])).status_code == 200
    r = zone.post(
        f"/api/v1/policies/{p.pk}/push", {"enterprise_ids": [contact_enterprise.pk]}, content_type="application/json"
    )
    assert r.status_code == 200
    contact = as_user("enterprise_contact")
    assert p.title in contact.get(reverse("appeals:portal")).content.decode()
    assert [x["id"] for x in contact.get("/api/v1/policies/pushed").json()] == [p.pk]
    assert (
        contact.post(
            f"/api/v1/policies/{p.pk}/push", {"enterprise_ids": [1]}, content_type="application/json"
        ).status_code
        == 403
    )
    fits = zone.get(f"/api/v1/policies/for-enterprise/{contact_enterprise.pk}").json()
    assert fits and fits[0]["matched"] >= fits[-1]["matched"]
    assert zone.get(reverse("policies:briefings")).status_code == 200
    r = zone.post(
        reverse("policies:briefings"),
        {"title": "政策宣讲会", "held_on": "2026-11-20", "attendees": f"{contact_enterprise.uscc} 周敏"},
    )
    assert r.status_code == 302
