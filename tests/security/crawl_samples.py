"""Crawler samples for pages whose apps do not (yet) ship their own `hongyin/<app>/crawl.py`.

Registered with replace=False: an app's own crawl.py wins. Visibility comes from each app's selector
(`ctx.who_sees`), so the crawler checks that every view really goes through the selector.
"""

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9  # a pk that exists nowhere: 404 for every role that has the permission


def _their_enterprise(ctx):
    """The enterprise of the demo instructor and enterprise contact."""
    return ctx.users["instructor"].role_assignments.select_related("enterprise").first().enterprise


# --- notifications (mine) ----------------------------------------------------------------------------------------
@crawl_samples("notification_open", replace=False)
def notification_samples(ctx):
    from hongyin.common.models import Notification

    note = Notification.objects.create(user=ctx.users["zone_admin"], title="crawler", url="/appeals/")
    return [Sample({"pk": note.pk}, {"zone_admin"} & ctx.with_perm()), Sample({"pk": MISSING}, set())]


# --- accounts (mine) ---------------------------------------------------------------------------------------------
@crawl_samples("accounts:token_revoke", replace=False)
def token_samples(ctx):
    from hongyin.accounts.services import api_token_create

    token, _raw = api_token_create(actor=ctx.users["zone_admin"], name="crawler")
    return [Sample({"pk": token.pk}, {"zone_admin"}), Sample({"pk": MISSING}, set())]


@crawl_samples(
    "accounts:user_set_active",
    "accounts:user_reset_password",
    "POST /api/v1/accounts/users/{user_id}/active",
    "POST /api/v1/accounts/users/{user_id}/reset-password",
    replace=False,
)
def user_admin_samples(ctx):
    pk = ctx.users["member"].pk
    return [Sample({"pk": pk, "user_id": pk}, {"system_admin"}, body={"active": True})]


@crawl_samples(
    "accounts:user_reset_second_factor", "POST /api/v1/accounts/users/{user_id}/reset-second-factor", replace=False
)
def second_factor_samples(ctx):
    pk = ctx.users["member"].pk
    return [Sample({"pk": pk, "user_id": pk}, {"security_admin"}), Sample({"pk": MISSING, "user_id": MISSING}, set())]


@crawl_samples("accounts:user_roles", replace=False)
def user_roles_samples(ctx):
    return [Sample({"pk": ctx.users["member"].pk}, {"security_admin"}), Sample({"pk": MISSING}, set())]


@crawl_samples("accounts:role_revoke", "DELETE /api/v1/accounts/roles/{assignment_id}", replace=False)
def role_revoke_samples(ctx):
    a = ctx.users["member"].role_assignments.first()
    return [Sample({"pk": a.pk, "assignment_id": a.pk}, {"security_admin"})]


@crawl_samples("audit:detail", replace=False)
def audit_samples(ctx):
    from hongyin.audit.models import AuditEvent

    return [Sample({"pk": AuditEvent.objects.order_by("-id").first().pk}, {"audit_admin"})]


@crawl_samples("unmask", replace=False)
def unmask_samples(ctx):
    from hongyin.members.permissions import members_visible_to

    m = ctx.canary.member
    seers = ctx.who_sees(members_visible_to, m.pk) & ctx.with_perm("personal_data.view")
    return [
        Sample({"model": "members.member", "pk": m.pk, "field": "id_number"}, seers),
        Sample({"model": "accounts.user", "pk": ctx.users["member"].pk, "field": "password"}, set()),
    ]


# --- foundation ---------------------------------------------------------------------------------------------------
@crawl_samples(
    "orgs:children",
    "GET /api/v1/orgs/{org_id}/children",
    "GET /api/v1/orgs/{org_id}",
    "GET /api/v1/orgs/{org_id}/stats",
    replace=False,
)
def org_samples(ctx):
    from hongyin.orgs.permissions import orgs_visible_to

    out = []
    for org in (ctx.canary.committee, ctx.zone.chain, ctx.zone.buildings[0]):
        out.append(Sample({"pk": org.pk, "org_id": org.pk}, ctx.who_sees(orgs_visible_to, org.pk)))
    return out


@crawl_samples(
    "jobs:detail",
    "jobs:download",
    "jobs:restart",
    "members:import_status",
    "members:import_confirm",
    "GET /api/v1/jobs/{job_id}",
    "POST /api/v1/jobs/{job_id}/restart",
    replace=False,
)
def job_samples(ctx):
    from hongyin.jobs.models import Job

    job = Job.objects.create(kind="crawler", title="探针琦柒任务", owner=ctx.users["zone_admin"])
    # a job without a result file and of another kind: only its owner opens the job page, nothing else opens
    own_pages = ("jobs:detail", "jobs:restart", "GET /api/v1/jobs/{job_id}", "POST /api/v1/jobs/{job_id}/restart")
    owner = {"zone_admin"} if ctx.perm == "jobs.view" and ctx.current in own_pages else set()
    return [
        Sample({"pk": job.pk, "job_id": job.pk}, owner, note="own job"),
        Sample({"pk": MISSING, "job_id": MISSING}, set()),
    ]


# --- enterprises, buildings, chains, grid ---------------------------------------------------------------------------
@crawl_samples(
    "enterprises:detail",
    "GET /api/v1/enterprises/{enterprise_id}",
    replace=False,
)
def enterprise_samples(ctx):
    from hongyin.enterprises.permissions import enterprises_visible_to

    out = []
    for e in (ctx.canary.enterprise, _their_enterprise(ctx)):
        out.append(Sample({"pk": e.pk, "enterprise_id": e.pk}, ctx.who_sees(enterprises_visible_to, e.pk)))
    return out


@crawl_samples(
    "enterprises:edit",
    "enterprises:incubation_add",
    "enterprises:grid_place",
    "PATCH /api/v1/enterprises/{enterprise_id}",
    replace=False,
)
def enterprise_edit_samples(ctx):
    from hongyin.enterprises.permissions import enterprises_visible_to

    out = []
    for e in (ctx.canary.enterprise, _their_enterprise(ctx)):
        out.append(Sample({"pk": e.pk, "enterprise_id": e.pk}, ctx.scoped(enterprises_visible_to, e.pk), body={}))
    return out


@crawl_samples(
    "enterprises:building_detail",
    "GET /api/v1/enterprises/buildings/{building_id}",
    replace=False,
)
def building_samples(ctx):
    from hongyin.enterprises.models import Building
    from hongyin.enterprises.permissions import buildings_visible_to

    out = [Sample({"pk": MISSING, "building_id": MISSING}, set())]
    for b in Building.objects.order_by("pk")[:1]:
        out.append(Sample({"pk": b.pk, "building_id": b.pk}, ctx.who_sees(buildings_visible_to, b.pk)))
    last = Building.objects.order_by("-pk").first()
    if last is not None:
        out.append(Sample({"pk": last.pk, "building_id": last.pk}, ctx.who_sees(buildings_visible_to, last.pk)))
    return out


@crawl_samples("POST /api/v1/enterprises/buildings/{building_id}/floors", replace=False)
def floor_post_samples(ctx):
    from hongyin.enterprises.models import Building
    from hongyin.enterprises.permissions import buildings_visible_to

    b = Building.objects.order_by("-pk").first()
    pk = b.pk if b else MISSING
    seers = ctx.who_sees(buildings_visible_to, pk, perm="buildings.manage") if b else set()
    return [Sample({"building_id": pk}, seers, body={"number": 99, "label": "99F"})]


@crawl_samples("POST /api/v1/enterprises/floors/{floor_id}/units", replace=False)
def unit_post_samples(ctx):
    from hongyin.enterprises.models import Floor
    from hongyin.enterprises.permissions import buildings_visible_to

    f = Floor.objects.order_by("-pk").first()
    if f is None:
        return [Sample({"floor_id": MISSING}, set(), body={})]
    seers = ctx.who_sees(buildings_visible_to, f.building_id, perm="buildings.manage")
    return [Sample({"floor_id": f.pk}, seers)]


@crawl_samples("POST /api/v1/enterprises/units/{unit_id}/leases", replace=False)
def lease_post_samples(ctx):
    from hongyin.enterprises.models import Unit
    from hongyin.enterprises.permissions import buildings_visible_to

    u = Unit.objects.select_related("floor").order_by("-pk").first()
    if u is None:
        return [Sample({"unit_id": MISSING}, set(), body={})]
    seers = ctx.who_sees(buildings_visible_to, u.floor.building_id, perm="buildings.manage")
    return [Sample({"unit_id": u.pk}, seers)]


@crawl_samples("enterprises:chain_detail", "GET /api/v1/enterprises/chains/{chain_id}", replace=False)
def chain_samples(ctx):
    from hongyin.enterprises.models import IndustryChain
    from hongyin.enterprises.permissions import chains_visible_to

    out = [Sample({"pk": MISSING, "chain_id": MISSING}, set())]
    for c in IndustryChain.objects.order_by("pk")[:2]:
        out.append(Sample({"pk": c.pk, "chain_id": c.pk}, ctx.who_sees(chains_visible_to, c.pk)))
    return out


@crawl_samples("grid:lacking", replace=False)
def grid_samples(ctx):
    from hongyin.grid.permissions import cells_visible_to

    out = []
    for cell in (ctx.canary.grid_cell, ctx.zone.grid_cells[1]):
        out.append(Sample({"pk": cell.pk, "cell_id": cell.pk}, ctx.who_sees(cells_visible_to, cell.pk)))
    return out


@crawl_samples("grid:assign_instructors", replace=False)
def grid_assign_samples(ctx):
    from hongyin.grid.permissions import cells_visible_to

    cell = ctx.canary.grid_cell
    seers = ctx.who_sees(cells_visible_to, cell.pk, perm="enterprises.assign_instructors")
    return [Sample({"pk": cell.pk}, seers)]


@crawl_samples("POST /api/v1/grid/cells/{cell_id}/enterprises", replace=False)
def grid_place_samples(ctx):
    from hongyin.grid.permissions import cells_visible_to

    cell = ctx.canary.grid_cell
    seers = ctx.who_sees(cells_visible_to, cell.pk, perm="grid.manage") if "grid.manage" in _perms() else set()
    return [Sample({"cell_id": cell.pk}, seers, body={"enterprise_ids": [_their_enterprise(ctx).pk]})]


def _perms():
    from hongyin.common.roles import permissions

    return permissions()


# --- appeals and visits ---------------------------------------------------------------------------------------------
@crawl_samples("appeals:detail", "GET /api/v1/appeals/{appeal_id}", replace=False)
def appeal_samples(ctx):
    from hongyin.appeals.models import Appeal
    from hongyin.appeals.permissions import appeals_visible_to

    out = [Sample({"pk": MISSING, "appeal_id": MISSING}, set())]
    for a in [Appeal.objects.order_by("pk").first(), Appeal.objects.order_by("-pk").first()]:
        if a is not None:
            out.append(Sample({"pk": a.pk, "appeal_id": a.pk}, ctx.who_sees(appeals_visible_to, a.pk)))
    return out


@crawl_samples("appeals:act", "POST /api/v1/appeals/{appeal_id}/{action}", replace=False)
def appeal_act_samples(ctx):
    from hongyin.appeals.models import Appeal
    from hongyin.appeals.permissions import appeals_visible_to

    a = Appeal.objects.order_by("-pk").first()
    if a is None:
        return [Sample({"pk": MISSING, "appeal_id": MISSING, "action": "accept"}, set(), body={})]
    seers = ctx.who_sees(appeals_visible_to, a.pk)
    return [Sample({"pk": a.pk, "appeal_id": a.pk, "action": "accept"}, seers, body={})]


@crawl_samples("appeals:attachment", replace=False)
def appeal_attachment_samples(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongyin.appeals.models import Appeal
    from hongyin.appeals.permissions import appeals_visible_to
    from hongyin.common.uploads import attachment_save

    a = Appeal.objects.order_by("-pk").first()
    if a is None:
        return [Sample({"pk": MISSING, "att": MISSING}, set())]
    upload = SimpleUploadedFile("探针琦柒.pdf", b"%PDF-1.4\n%%EOF")
    att = attachment_save(actor=None, upload=upload, owner=a)
    return [
        Sample({"pk": a.pk, "att": att.pk}, ctx.scoped(appeals_visible_to, a.pk)),
        Sample({"pk": a.pk, "att": MISSING}, set()),
    ]


@crawl_samples("appeals:visit_detail", replace=False)
def visit_samples(ctx):
    from hongyin.appeals.models import Visit
    from hongyin.appeals.permissions import visits_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for v in [Visit.objects.order_by("pk").first(), Visit.objects.order_by("-pk").first()]:
        if v is not None:
            out.append(Sample({"pk": v.pk}, ctx.who_sees(visits_visible_to, v.pk)))
    return out


@crawl_samples("appeals:visit_attachment", replace=False)
def visit_attachment_samples(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongyin.appeals.models import Visit
    from hongyin.appeals.permissions import visits_visible_to
    from hongyin.common.uploads import attachment_save

    v = Visit.objects.order_by("-pk").first()
    if v is None:
        return [Sample({"pk": MISSING, "att": MISSING}, set())]
    att = attachment_save(actor=None, upload=SimpleUploadedFile("探针走访.pdf", b"%PDF-1.4\n%%EOF"), owner=v)
    return [
        Sample({"pk": v.pk, "att": att.pk}, ctx.who_sees(visits_visible_to, v.pk)),
        Sample({"pk": v.pk, "att": MISSING}, set()),
    ]


@crawl_samples("appeals:report", replace=False)
def appeal_report_samples(ctx):
    return [Sample({"fmt": "xlsx"}, ctx.with_perm("appeals.stats"))]


# --- generic: objects checked with the page's own permission through the app's selector -------------------------
@crawl_samples(
    "PATCH /api/v1/orgs/{org_id}",
    "POST /api/v1/orgs/{org_id}/move",
    "POST /api/v1/orgs/{org_id}/merge",
    "POST /api/v1/orgs/{org_id}/dissolve",
    "POST /api/v1/orgs/{org_id}/posts",
    "POST /api/v1/orgs/{org_id}/term",
    "grid:cell_add",
    replace=False,
)
def org_write_samples(ctx):
    from hongyin.grid.permissions import cells_visible_to
    from hongyin.orgs.permissions import orgs_visible_to

    if ctx.current == "grid:cell_add":
        cell = ctx.canary.grid_cell
        return [Sample({"pk": cell.pk}, ctx.scoped(cells_visible_to, cell.pk))]
    org = ctx.canary.branch
    return [Sample({"org_id": org.pk}, ctx.scoped(orgs_visible_to, org.pk))]


@crawl_samples("POST /api/v1/orgs/posts/{post_id}/end", replace=False)
def org_post_api_samples(ctx):
    return [Sample({"post_id": MISSING}, set())]


@crawl_samples(
    "GET /api/v1/members/{member_id}",
    "PATCH /api/v1/members/{member_id}",
    "POST /api/v1/members/{member_id}/move",
    "POST /api/v1/members/{member_id}/leave",
    "dues:member",
    "PUT /api/v1/dues/profiles/{member_id}",
    replace=False,
)
def member_api_samples(ctx):
    from hongyin.members.permissions import members_visible_to

    m = ctx.canary.member
    return [Sample({"member_id": m.pk}, ctx.scoped(members_visible_to, m.pk))]


@crawl_samples("dues:pay_correct", replace=False)
def dues_record_samples(ctx):
    """A dues record of the canary member: only those who manage the member's dues may correct it."""
    from hongyin.dues.models import DuesRecord
    from hongyin.dues.rules import month_start
    from hongyin.members.permissions import members_visible_to

    m = ctx.canary.member
    record = DuesRecord.objects.filter(member=m).first() or DuesRecord.objects.create(
        member=m, branch_id=m.org_id, month=month_start(m.joined_on), due=0
    )
    return [Sample({"pk": record.pk}, ctx.scoped(members_visible_to, m.pk)), Sample({"pk": MISSING}, set())]


@crawl_samples(
    "GET /api/v1/members/import/{job_id}",
    "dues:reduction_decide",
    "POST /api/v1/dues/reductions/{reduction_id}/decide",
    replace=False,
)
def missing_only_samples(ctx):
    return [Sample({"job_id": MISSING, "pk": MISSING, "reduction_id": MISSING}, set())]


@crawl_samples(
    "orgs:detail",
    "orgs:create",
    "orgs:edit",
    "orgs:move",
    "orgs:merge",
    "orgs:dissolve",
    "orgs:post_add",
    "orgs:term",
    replace=False,
)
def org_page_samples(ctx):
    from hongyin.orgs.permissions import orgs_visible_to

    out = []
    for org in (ctx.canary.branch, ctx.zone.buildings[0], ctx.zone.chain):
        out.append(Sample({"pk": org.pk}, ctx.scoped(orgs_visible_to, org.pk)))
    return out


@crawl_samples("orgs:post_end", replace=False)
def org_post_samples(ctx):
    from hongyin.orgs.models import CommitteePost
    from hongyin.orgs.permissions import orgs_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for post in CommitteePost.objects.order_by("pk")[:1]:
        out.append(Sample({"pk": post.pk}, ctx.scoped(orgs_visible_to, post.org_id)))
    return out


@crawl_samples("members:detail", "members:edit", "members:move", "members:leave", replace=False)
def member_page_samples(ctx):
    from hongyin.members.models import Member
    from hongyin.members.permissions import members_visible_to

    out = [Sample({"pk": ctx.canary.member.pk}, ctx.scoped(members_visible_to, ctx.canary.member.pk))]
    mine = Member.objects.filter(org__path__startswith=ctx.zone.buildings[0].path).order_by("pk").first()
    if mine is not None:
        out.append(Sample({"pk": mine.pk}, ctx.scoped(members_visible_to, mine.pk)))
    return out


@crawl_samples("transfers:floating_set", replace=False)
def floating_samples(ctx):
    from hongyin.members.permissions import members_visible_to

    m = ctx.canary.member
    return [Sample({"member_id": m.pk}, ctx.scoped(members_visible_to, m.pk))]


@crawl_samples(
    "development:detail",
    "development:extend",
    "development:close",
    "GET /api/v1/development/cases/{case_id}",
    "POST /api/v1/development/cases/{case_id}/steps",
    "POST /api/v1/development/cases/{case_id}/extend",
    "POST /api/v1/development/cases/{case_id}/close",
    replace=False,
)
def development_samples(ctx):
    from hongyin.development.models import DevelopmentCase
    from hongyin.development.permissions import cases_visible_to

    out = [Sample({"pk": MISSING, "case_id": MISSING}, set())]
    for case in [DevelopmentCase.objects.order_by("pk").first(), DevelopmentCase.objects.order_by("-pk").first()]:
        if case is not None:
            seers = ctx.scoped(cases_visible_to, case.pk, takes_perm=False)
            out.append(Sample({"pk": case.pk, "case_id": case.pk}, seers))
    return out


@crawl_samples("development:step", "development:document", replace=False)
def development_step_samples(ctx):
    from hongyin.development.models import DevelopmentCase

    case = DevelopmentCase.objects.order_by("-pk").first()
    pk = case.pk if case else MISSING
    # an unknown step or document number: nothing for anyone
    return [Sample({"pk": pk, "step": 99, "doc": MISSING}, set())]


@crawl_samples(
    "transfers:detail",
    "transfers:letter",
    "transfers:act",
    "GET /api/v1/transfers/{transfer_id}",
    "POST /api/v1/transfers/{transfer_id}/{action}",
    replace=False,
)
def transfer_samples(ctx):
    from hongyin.transfers.models import Transfer
    from hongyin.transfers.permissions import transfers_visible_to

    out = [Sample({"pk": MISSING, "transfer_id": MISSING, "action": "approve"}, set())]
    for t in [Transfer.objects.order_by("pk").first(), Transfer.objects.order_by("-pk").first()]:
        if t is not None:
            seers = ctx.scoped(transfers_visible_to, t.pk)
            if ctx.current == "transfers:letter":  # the letter exists only once the transfer is approved
                out.append(Sample({"pk": t.pk}, set(), may_see=seers))
            else:
                out.append(Sample({"pk": t.pk, "transfer_id": t.pk, "action": "approve"}, seers))
    return out


@crawl_samples(
    "enterprises:building_floor_add",
    "enterprises:building_unit_add",
    "enterprises:building_lease_add",
    replace=False,
)
def building_sub_samples(ctx):
    from hongyin.enterprises.models import Building
    from hongyin.enterprises.permissions import buildings_visible_to

    out = []
    for b in [Building.objects.order_by("pk").first(), Building.objects.order_by("-pk").first()]:
        if b is not None:
            out.append(Sample({"pk": b.pk}, ctx.scoped(buildings_visible_to, b.pk)))
    return out or [Sample({"pk": MISSING}, set())]


@crawl_samples("enterprises:chain_node_add", "enterprises:chain_enterprise_add", replace=False)
def chain_sub_samples(ctx):
    from hongyin.enterprises.models import IndustryChain
    from hongyin.enterprises.permissions import chains_visible_to

    out = []
    for c in IndustryChain.objects.order_by("pk")[:2]:
        out.append(Sample({"pk": c.pk}, ctx.scoped(chains_visible_to, c.pk)))
    return out or [Sample({"pk": MISSING}, set())]


@crawl_samples(
    "policies:for_enterprise",
    "GET /api/v1/policies/for-enterprise/{enterprise_id}",
    replace=False,
)
def policy_enterprise_samples(ctx):
    from hongyin.enterprises.permissions import enterprises_visible_to

    e = ctx.canary.enterprise
    seers = ctx.who_sees(enterprises_visible_to, e.pk) & ctx.with_perm()
    return [Sample({"enterprise_id": e.pk}, seers)]


@crawl_samples(
    "policies:detail",
    "policies:edit",
    "policies:push",
    "policies:applied",
    "GET /api/v1/policies/{policy_id}/qualifying",
    "POST /api/v1/policies/{policy_id}/push",
    replace=False,
)
def policy_samples(ctx):
    from hongyin.policies.models import Policy

    out = [Sample({"pk": MISSING, "policy_id": MISSING}, set())]
    p = Policy.objects.order_by("pk").first()
    if p is not None:  # policies are zone-wide documents: every role with the page's permission opens them
        out.append(Sample({"pk": p.pk, "policy_id": p.pk}, ctx.with_perm()))
    return out
