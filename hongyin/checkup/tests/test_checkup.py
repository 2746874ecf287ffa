"""The party-spirit check-up: the questionnaire versions, a member's own self-assessment, the branch's review, the
pages (touch form, radar with its table), the API, and the refusals (nothing written)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.checkup import selectors, services
from hongyin.checkup.models import Answer, Checkup, CheckupStatus
from hongyin.common.errors import DomainError, NotFound
from hongyin.members.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_user(users):
    return users["member"]


@pytest.fixture
def me(member_user):
    return Member.objects.get(user=member_user)


@pytest.fixture
def q(db):
    return selectors.current_questionnaire()


def all_items(q, score=4):
    return {str(i.pk): score for d in q.dimensions.all() for i in d.items.all()}


def test_seed_has_a_questionnaire_and_checkups_for_most_members(q, branch):
    assert q is not None and [d.name for d in q.dimensions.all()][:2] == ["理想信念", "政治纪律"]
    members = Member.objects.filter(left_on__isnull=True).count()
    assert Checkup.objects.filter(year=timezone.localdate().year - 1).count() > members * 0.7


def test_a_member_saves_a_draft_then_submits(member_user, me, q):
    year = timezone.localdate().year
    assert not Checkup.objects.filter(member=me, year=year).exists()
    first = next(iter(all_items(q)))
    c = services.checkup_save(actor=member_user, member=me, year=year, scores={first: 5})
    assert c.status == CheckupStatus.DRAFT and c.answers.count() == 1
    with pytest.raises(DomainError) as err:
        services.checkup_save(actor=member_user, member=me, year=year, scores={}, submit=True, version=c.version)
    assert err.value.code == "incomplete"
    c = services.checkup_save(
        actor=member_user, member=me, year=year, scores=all_items(q), submit=True, version=c.version, summary="自省"
    )
    assert c.status == CheckupStatus.SUBMITTED and c.self_scores["理想信念"] == 80.0
    assert AuditEvent.objects.filter(action="checkup.submit", object_id=str(c.pk)).exists()
    with pytest.raises(DomainError):
        services.checkup_save(actor=member_user, member=me, year=year, scores=all_items(q, 5), version=c.version)


def test_bad_scores_and_stale_versions_write_nothing(member_user, me, q):
    year = timezone.localdate().year
    item = next(iter(all_items(q)))
    for bad in ({item: 9}, {item: "x"}, {"999999": 3}, {"abc": 3}):
        with pytest.raises(DomainError):
            services.checkup_save(actor=member_user, member=me, year=year, scores=bad)
    assert not Checkup.objects.filter(member=me, year=year).exists()
    c = services.checkup_save(actor=member_user, member=me, year=year, scores={item: 3})
    with pytest.raises(DomainError) as err:
        services.checkup_save(actor=member_user, member=me, year=year, scores={item: 4}, version=c.version - 1)
    assert err.value.code == "stale"
    with pytest.raises(DomainError):
        services.checkup_save(actor=member_user, member=me, year=year - 1, scores={item: 4})


def test_nobody_fills_another_members_checkup(users, me, q):
    with pytest.raises(NotFound):
        services.checkup_save(
            actor=users["branch_secretary"], member=me, year=timezone.localdate().year, scores=all_items(q)
        )


def test_the_secretary_reviews_a_submitted_checkup_not_their_own(users, member_user, me, q, other_branch):
    year = timezone.localdate().year
    c = services.checkup_save(actor=member_user, member=me, year=year, scores=all_items(q, 3), submit=True)
    sec = users["branch_secretary"]
    with pytest.raises(DomainError):
        services.checkup_review(actor=sec, checkup=c, scores={}, comment=" ", version=c.version)
    item = next(iter(all_items(q)))
    r = services.checkup_review(actor=sec, checkup=c, scores={item: 5}, comment="很好", version=c.version)
    assert r.status == CheckupStatus.REVIEWED and r.review_scores["理想信念"] == 100.0
    assert Answer.objects.get(checkup=c, item_id=int(item)).review_score == 5
    outsider = Checkup.objects.filter(org=other_branch).exclude(status="draft").first()
    if outsider is not None:
        with pytest.raises(NotFound):
            services.checkup_review(actor=sec, checkup=outsider, scores={}, comment="x", version=outsider.version)
    own = Checkup.objects.filter(member__user=sec).exclude(status="draft").first()
    if own is not None:
        with pytest.raises(DomainError):
            services.checkup_review(actor=sec, checkup=own, scores={}, comment="x", version=own.version)


def test_a_new_questionnaire_version_keeps_the_old_checkups(users, q):
    old = Checkup.objects.filter(questionnaire=q).count()
    new = services.questionnaire_create(
        actor=users["zone_admin"],
        title="新版",
        dimensions=services.parse_outline("# 理想信念\n坚定信念\n# 担当作为\n敢于担当\n善于作为"),
    )
    assert new.version == q.version + 1 and Checkup.objects.filter(questionnaire=q).count() == old
    with pytest.raises(DomainError):
        services.questionnaire_create(actor=users["branch_secretary"], title="x", dimensions=[("a", ["b"])])
    with pytest.raises(DomainError):
        services.parse_outline("没有维度的项目")
    with pytest.raises(DomainError):
        services.questionnaire_create(actor=users["zone_admin"], title="x", dimensions=[("a", [])])


# --- pages ----------------------------------------------------------------------------------------------------------


def test_the_member_page_offers_big_touch_targets_and_submits(as_user, me, q):
    client = as_user("member")
    r = client.get(reverse("checkup:mine"))
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="btn-check"' in html and "py-3" in html
    data = {f"item_{k}": v for k, v in all_items(q).items()} | {"do": "submit", "summary": ""}
    r = client.post(reverse("checkup:mine"), data)
    assert r.status_code == 302
    r = client.get(reverse("checkup:mine"))
    assert 'data-testid="radar"' in r.content.decode() and 'data-testid="radar-table"' in r.content.decode()


def test_the_member_page_shows_a_clear_error_for_an_incomplete_submit(as_user, me):
    r = as_user("member").post(reverse("checkup:mine"), {"do": "submit"})
    assert r.status_code == 422 and "未评分" in r.content.decode()


def test_branch_page_and_detail(as_user, branch, django_assert_max_num_queries):
    client = as_user("branch_secretary")
    year = timezone.localdate().year - 1
    r = client.get(reverse("checkup:branch"), {"org": branch.pk, "year": year})
    assert r.status_code == 200 and 'data-testid="members"' in r.content.decode()
    c = Checkup.objects.filter(org=branch, year=year).exclude(status="draft").first()
    assert client.get(reverse("checkup:detail", args=[c.pk])).status_code == 200
    other = Checkup.objects.exclude(org=branch).exclude(status="draft").first()
    assert client.get(reverse("checkup:detail", args=[other.pk])).status_code == 404
    assert as_user("member").get(reverse("checkup:branch")).status_code == 403


def test_branch_page_queries_are_flat(as_user, branch, django_assert_max_num_queries):
    client = as_user("branch_secretary")
    client.get(reverse("checkup:branch"), {"org": branch.pk})
    with django_assert_max_num_queries(25):
        client.get(reverse("checkup:branch"), {"org": branch.pk})


def test_questionnaire_page_zone_only(as_user):
    assert as_user("zone_admin").get(reverse("checkup:questionnaire")).status_code == 200
    assert as_user("branch_secretary").get(reverse("checkup:questionnaire")).status_code == 403
    r = as_user("zone_admin").post(reverse("checkup:questionnaire"), {"title": "x", "outline": "项目"})
    assert r.status_code == 422


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_fill_and_read(as_user, q, me):
    api = as_user("member")
    r = api.get("/api/v1/checkup/mine")
    assert r.status_code == 200 and r.json()["status"] == "none"
    r = api.put("/api/v1/checkup/mine", {"answers": all_items(q), "submit": True}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted"
    r = api.put("/api/v1/checkup/mine", {"answers": all_items(q)}, content_type="application/json")
    assert r.status_code == 422
    assert api.get("/api/v1/checkup/branch").status_code == 403
