"""Pages and API of study: who sees what, the heartbeat endpoint, refusals that write nothing, the forms through
the pages, query counts flat in the number of rows, the workbench panels."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.common.workbench import panels_for
from hongyin.learning import services
from hongyin.learning.models import Assignment, Note, Post, Progress, Thread
from hongyin.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.fixture
def elsewhere(branch):
    return (
        Organization.objects.filter(kind=OrgKind.BRANCH, dissolved_on__isnull=True)
        .exclude(pk=branch.pk)
        .order_by("path")
        .first()
    )


@pytest.fixture
def material(branch):
    return services.material_create(
        actor=None, org=branch, title="支部学习资料", kind="text", body="正文", min_minutes=5
    )


@pytest.mark.parametrize("user", ["member", "branch_secretary", "building_admin", "zone_admin"])
def test_the_pages_open(as_user, user, material):
    client = as_user(user)
    for name in ("learning:home", "learning:assignments", "learning:threads", "learning:courses", "learning:notes"):
        assert client.get(reverse(name)).status_code == 200
    assert client.get(reverse("learning:material", args=[material.pk])).status_code == 200
    assert client.get("/").status_code == 200  # the workbench with the study panels


def test_the_figures_are_for_the_party_staff(as_user):
    assert as_user("member").get(reverse("learning:stats")).status_code == 403
    assert as_user("member").get(reverse("learning:feedback")).status_code == 403
    for user in ("branch_secretary", "zone_admin"):
        assert as_user(user).get(reverse("learning:stats")).status_code == 200
        assert as_user(user).get(reverse("learning:feedback")).status_code == 200


def test_the_heartbeat_endpoint(as_user, material):
    client = as_user("member")
    url = reverse("learning:beat", args=[material.pk])
    first = client.post(url, {"elapsed": "0"})
    assert first.status_code == 200 and first.json()["seconds"] == 0
    forged = client.post(url, {"elapsed": "99999"})
    assert forged.status_code == 422 and "上限" in forged.json()["error"]
    assert Progress.objects.get(material=material).beats == 1
    assert client.get(url).status_code == 405


def test_a_heartbeat_for_a_material_of_another_branch_is_404(as_user, elsewhere):
    m = services.material_create(actor=None, org=elsewhere, title="他支部资料", kind="text", body="正文")
    client = as_user("member")
    assert client.post(reverse("learning:beat", args=[m.pk]), {"elapsed": "0"}).status_code == 404
    assert client.get(reverse("learning:material", args=[m.pk])).status_code == 404
    assert not Progress.objects.filter(material=m).exists()


def test_a_post_in_a_thread_of_another_branch_is_404_and_writes_nothing(as_user, elsewhere):
    t = services.thread_create(actor=None, branch=elsewhere, kind="discussion", title="他支部研讨")
    client = as_user("member")
    assert client.post(reverse("learning:post_add", args=[t.pk]), {"body": "越界"}).status_code == 404
    api = client.post(
        f"/api/v1/learning/threads/{t.pk}/posts", json.dumps({"body": "越界"}), content_type="application/json"
    )
    assert api.status_code == 404
    assert not Post.objects.filter(thread=t).exists()


def test_notes_through_the_page_are_private(as_user, material):
    client = as_user("member")
    response = client.post(reverse("learning:note_add", args=[material.pk]), {"body": "我的体会"})
    assert response.status_code == 302
    note = Note.objects.get(material=material)
    assert "我的体会" in client.get(reverse("learning:notes")).content.decode()
    secretary = as_user("branch_secretary")
    assert "我的体会" not in secretary.get(reverse("learning:material", args=[material.pk])).content.decode()
    assert secretary.post(reverse("learning:note_delete", args=[note.pk])).status_code == 404
    assert client.post(reverse("learning:note_add", args=[material.pk]), {"body": ""}).status_code == 422


def test_discussion_through_the_pages_and_moderation(as_user, branch, material):
    member = as_user("member")
    response = member.post(
        reverse("learning:thread_new") + f"?material={material.pk}",
        {"branch": branch.pk, "kind": "self", "title": "自学体会", "body": "第一条", "material": material.pk},
    )
    assert response.status_code == 302
    t = Thread.objects.get(title="自学体会")
    post = t.posts.get()
    assert (
        member.post(reverse("learning:post_add", args=[t.pk]), {"body": "回复", "parent": post.pk}).status_code == 302
    )
    assert member.post(reverse("learning:post_hide", args=[post.pk]), {"reason": "x"}).status_code == 403
    secretary = as_user("branch_secretary")
    page = secretary.get(reverse("learning:thread", args=[t.pk])).content.decode()
    assert reverse("learning:post_hide", args=[post.pk]) in page
    assert secretary.post(reverse("learning:post_hide", args=[post.pk]), {"reason": "无关"}).status_code == 302
    post.refresh_from_db()
    assert post.hidden
    assert "第一条" not in member.get(reverse("learning:thread", args=[t.pk])).content.decode()


def test_the_secretary_assigns_a_course_through_the_page(as_user, branch, material):
    secretary = as_user("branch_secretary")
    course = services.course_create(actor=None, org=branch, title="支部课程", materials=[material])
    due = timezone.localdate() + timedelta(days=7)
    response = secretary.post(
        reverse("learning:assignment_new"),
        {"org": branch.pk, "course": course.pk, "target_org": branch.pk, "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    a = Assignment.objects.get(course=course)
    assert a.target_org == branch
    bad = secretary.post(reverse("learning:assignment_new"), {"org": branch.pk, "course": course.pk, "due_on": ""})
    assert bad.status_code == 422 and Assignment.objects.filter(course=course).count() == 1
    page = as_user("member").get(reverse("learning:assignments")).content.decode()
    assert "支部课程" in page


def test_the_pages_are_flat_in_the_number_of_rows(as_user, branch):
    client = as_user("member")
    member = User.objects.get(username="member")
    services.thread_create(actor=member, branch=branch, kind="discussion", title="研讨一", body="发言")
    urls = [reverse("learning:home"), reverse("learning:threads"), reverse("learning:assignments")]
    before = [_queries(client, u) for u in urls]
    for i in range(5):
        m = services.material_create(actor=None, org=branch, title=f"资料{i}", kind="text", body="正文")
        services.heartbeat(actor=member, material=m, elapsed=0)
        services.thread_create(actor=member, branch=branch, kind="discussion", title=f"研讨{i}", body="发言")
    after = [_queries(client, u) for u in urls]
    assert after == before


def test_the_workbench_panels(users):
    member_panels = {p["key"] for s in panels_for(users["member"]).values() for p in s}
    assert "learning_mine" in member_panels and "learning_todo" not in member_panels
    secretary_panels = {p["key"] for s in panels_for(users["branch_secretary"]).values() for p in s}
    assert "learning_todo" in secretary_panels and "learning_hours" not in secretary_panels
    zone = {p["key"]: p for s in panels_for(users["zone_admin"]).values() for p in s}
    assert zone["learning_hours"]["rows"] and "series" in zone["learning_hours"]["chart_json"]


def test_the_api(as_user, material, branch):
    client = as_user("member")
    assert any(m["id"] == material.pk for m in client.get("/api/v1/learning/materials").json())
    beat = f"/api/v1/learning/materials/{material.pk}/heartbeat"
    assert client.post(beat, json.dumps({"elapsed": 0}), content_type="application/json").status_code == 200
    forged = client.post(beat, json.dumps({"elapsed": 100000}), content_type="application/json")
    assert forged.status_code == 422
    mine = client.get("/api/v1/learning/progress").json()
    assert any(p["material_id"] == material.pk for p in mine["materials"])
    note = client.post(
        "/api/v1/learning/notes",
        json.dumps({"material_id": material.pk, "body": "体会"}),
        content_type="application/json",
    )
    assert note.status_code == 201
    assert as_user("branch_secretary").get("/api/v1/learning/notes").json() == []
    t = client.post(
        "/api/v1/learning/threads",
        json.dumps({"branch_id": branch.pk, "kind": "discussion", "title": "接口研讨", "body": "发言"}),
        content_type="application/json",
    )
    assert t.status_code == 201
    posts = client.get(f"/api/v1/learning/threads/{t.json()['id']}/posts").json()
    assert [p["body"] for p in posts] == ["发言"]
    assert as_user("zone_admin").get("/api/v1/learning/progress").json()["materials"] == []


def test_a_discussion_of_a_meeting_of_the_branch(as_user, branch, elsewhere):
    from hongyin.orglife.models import Meeting

    mine = Meeting.objects.filter(org=branch, status__in=["submitted", "approved"]).first()
    other = Meeting.objects.filter(org=elsewhere).first()
    client = as_user("member")
    assert client.get(reverse("learning:thread_new") + f"?meeting={mine.pk}").status_code == 200
    response = client.post(
        reverse("learning:thread_new"),
        {"branch": branch.pk, "kind": "collective", "title": "集体学习讨论", "body": "发言", "meeting": mine.pk},
    )
    assert response.status_code == 302
    assert Thread.objects.get(title="集体学习讨论").meeting == mine
    if other is not None:
        assert client.get(reverse("learning:thread_new") + f"?meeting={other.pk}").status_code == 404
