"""Pages and API: the list (flat in queries), the form with bad input, a post's matches, contact, accept, deal,
figures and workbench panels from the same selectors, and the scope."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hongyin.devtools.sessions import login_as
from hongyin.matching import selectors, services
from hongyin.matching.models import ContactRequest, ContactStatus, Deal, Match, Post, PostKind
from hongyin.matching.workbench import matching_chain, matching_contact

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _form(leaf, own, soon, **kw):
    data = {
        "kind": "demand",
        "enterprise": str(own.pk),
        "node": str(leaf.pk),
        "title": "采购光纤激光器泵浦源",
        "product": "半导体激光器泵浦源",
        "description": "用于万瓦级光纤激光器",
        "quantity": "200只",
        "budget_min": "50",
        "budget_max": "150",
        "deadline": soon.isoformat(),
        "region": "西安高新区",
        "visibility": "chain",
    }
    data.update(kw)
    return data


def test_the_list_is_flat_in_the_number_of_posts(as_user, contact, own, chain, leaves, soon):
    client = as_user("enterprise_contact")
    url = reverse("matching:list")
    first = _queries(client, url)
    for i in range(5):
        services.post_create(
            actor=contact,
            kind=PostKind.SUPPLY,
            chain=chain,
            node=leaves["光纤激光器"],
            enterprise=own,
            title=f"供应光纤{i}",
            product="光纤",
            deadline=soon,
            match=False,
        )
    assert _queries(client, url) == first
    assert _queries(as_user("zone_admin"), url + "?kind=demand&state=open") <= first + 2


def test_post_through_the_form_shows_its_matches_with_reasons(as_user, own, leaves, soon):
    client = as_user("enterprise_contact")
    assert client.get(reverse("matching:new")).status_code == 200
    response = client.post(reverse("matching:new"), _form(leaves["光纤激光器"], own, soon))
    post = Post.objects.get(title="采购光纤激光器泵浦源")
    assert response.status_code == 302 and response["Location"] == reverse("matching:detail", args=[post.pk])
    page = client.get(response["Location"]).content.decode()
    assert "匹配的供需信息" in page and "匹配的企业" in page
    assert "关键词相关" in page
    assert Match.objects.filter(post=post).count() >= 10


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"budget_min": "300", "budget_max": "100"}, "预算下限"),
        ({"deadline": (timezone.localdate() - timedelta(days=2)).isoformat()}, "已过"),
    ],
)
def test_bad_form_input_shows_a_message_and_writes_nothing(as_user, own, leaves, soon, change, message):
    client = as_user("enterprise_contact")
    before = Post.objects.count()
    response = client.post(reverse("matching:new"), _form(leaves["光纤激光器"], own, soon, **change))
    assert response.status_code == 200 and message in response.content.decode()
    assert Post.objects.count() == before


def test_a_contact_cannot_post_for_another_enterprise_through_the_form(as_user, supplier, leaves, soon):
    client = as_user("enterprise_contact")
    before = Post.objects.count()
    response = client.post(reverse("matching:new"), _form(leaves["光纤激光器"], supplier, soon))
    assert response.status_code == 200  # not among the form's choices
    assert Post.objects.count() == before


def test_contact_accept_and_deal_through_the_pages(
    client, contact, own, chain, leaves, supplier, supplier_contact, soon
):
    supply = services.post_create(
        actor=None,
        kind=PostKind.SUPPLY,
        chain=chain,
        node=leaves["半导体激光器"],
        enterprise=supplier,
        title="供应半导体激光器泵浦源",
        product="半导体激光器泵浦源",
        deadline=soon,
    )
    demand = services.post_create(
        actor=contact,
        kind=PostKind.DEMAND,
        chain=chain,
        node=leaves["光纤激光器"],
        enterprise=own,
        title="采购半导体激光器泵浦源",
        product="半导体激光器泵浦源",
        deadline=soon,
    )
    me = login_as(client.__class__(), "enterprise_contact")
    r = me.post(reverse("matching:contact_new", args=[demand.pk]), {"other_post": supply.pk, "message": "请报价"})
    assert r.status_code == 302
    c = ContactRequest.objects.get(post=demand, other_post=supply)
    # a deal before the answer: refused, nothing written
    me.post(reverse("matching:deal_new", args=[c.pk]), {"amount": "10", "signed_on": timezone.localdate()})
    assert not Deal.objects.exists() or not Deal.objects.filter(contact=c).exists()
    other = login_as(client.__class__(), supplier_contact.username)
    page = other.get(reverse("matching:contacts") + "?box=in").content.decode()
    assert "请报价" in page and "接受" in page
    r = other.post(reverse("matching:contact_answer", args=[c.pk, "accept"]), {"version": c.version, "reply": "好"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.status == ContactStatus.ACCEPTED
    r = me.post(reverse("matching:deal_new", args=[c.pk]), {"amount": "66", "signed_on": timezone.localdate()})
    assert Deal.objects.get(contact=c).amount == 66
    # the requester cannot answer its own request (404), a stranger cannot see it
    assert me.post(reverse("matching:contact_answer", args=[c.pk, "decline"])).status_code == 404
    stranger = login_as(client.__class__(), "building_admin")
    assert stranger.get(reverse("matching:detail", args=[demand.pk])).status_code == 404


def test_workbench_panels_and_figures_page_agree(as_user, users, chain):
    admin = users["chain_admin"]
    panel = matching_chain(admin)
    figures = selectors.chain_figures(user=admin)
    values = {str(label): value for label, value, _url in panel["figures"]}
    assert values["近一年成交"] == figures.total.deals
    unmatched = selectors.unmatched(selectors.post_list(user=admin)).count()
    assert values["尚无匹配的供需"] == unmatched
    page = as_user("chain_admin").get(reverse("matching:figures")).content.decode()
    assert f'data-figure="deals">{figures.total.deals}<' in page
    assert "本地配套率" in page
    assert as_user("enterprise_contact").get(reverse("matching:figures")).status_code == 403
    contact_panel = matching_contact(users["enterprise_contact"])
    assert len(contact_panel["items"]) == 2


def test_api_post_matches_contact_answer_deal(client, contact, own, chain, leaves, supplier, supplier_contact, soon):
    demand = services.post_create(
        actor=None,
        kind=PostKind.DEMAND,
        chain=chain,
        node=leaves["光通信模块"],
        enterprise=supplier,
        title="采购VCSEL激光芯片",
        product="VCSEL激光芯片",
        deadline=soon,
    )
    me = login_as(client.__class__(), "enterprise_contact")
    body = {
        "kind": "supply",
        "node_id": leaves["半导体激光器"].pk,
        "enterprise_id": own.pk,
        "title": "供应VCSEL激光芯片",
        "product": "VCSEL激光芯片",
        "budget_min": "100",
        "budget_max": "50",
        "deadline": soon.isoformat(),
    }
    r = me.post("/api/v1/matching/posts", json.dumps(body), content_type="application/json")
    assert r.status_code == 422 and "预算下限" in r.json()["detail"]
    body["budget_min"], body["budget_max"] = "10", "50"
    r = me.post("/api/v1/matching/posts", json.dumps(body), content_type="application/json")
    assert r.status_code == 201
    pid = r.json()["id"]
    matches = me.get(f"/api/v1/matching/posts/{pid}/matches").json()
    assert matches[0]["post_id"] == demand.pk and matches[0]["reasons"]
    r = me.post(
        f"/api/v1/matching/posts/{pid}/contacts",
        json.dumps({"other_post_id": demand.pk}),
        content_type="application/json",
    )
    assert r.status_code == 201, r.content.decode()
    cid = r.json()["id"]
    other = login_as(client.__class__(), supplier_contact.username)
    r = other.post(f"/api/v1/matching/contacts/{cid}/accept", json.dumps({}), content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = other.post(
        f"/api/v1/matching/contacts/{cid}/deals",
        json.dumps({"amount": "30", "signed_on": timezone.localdate().isoformat()}),
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["is_local"] is True
    figures = login_as(client.__class__(), "chain_admin").get("/api/v1/matching/figures").json()
    assert figures["total"]["deals"] >= 1
    assert me.get("/api/v1/matching/figures").status_code == 403
