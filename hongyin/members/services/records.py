"""Writes on members. Every function: keyword-only, atomic, scope-checked, validated, audited, kept in history.

Other apps (development, transfers, dues) call these; they never write Member rows themselves.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.bulk_crypto import ColumnEncryptor
from hongyin.common.bulk_insert import insert_rows
from hongyin.common.crypto import sm4_encrypt_many
from hongyin.common.errors import DomainError
from hongyin.common.fields import EncryptedCharField, index_of, mask_id_number, mask_name, mask_phone
from hongyin.common.notification_texts import Text, text
from hongyin.common.permissions import check_in_scope
from hongyin.orgs.models import BRANCH_KINDS, Organization, OrgKind
from hongyin.orgs.permissions import ORG_SCOPE

from .choices import MemberStatus
from .models import Member, MemberEventKind, MemberHistory
from .permissions import MEMBER_SCOPE
from .validation import clean_member, validate_leave

MANAGE = "members.manage"
EDITABLE = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "category",
    "employer_name",
    "job_title",
    "is_floating",
    "floating_place",
)
# Set only by their workflows (development: member_convert; transfers and moves: member_move; leaving:
# member_leave), never by a generic edit: a branch must not skip the conversion the committee above approves.
MEMBERSHIP = ("status", "joined_on", "full_member_on", "registered_on")
WORKFLOW_OWNED = frozenset({*MEMBERSHIP, "org", "org_id", "left_on", "leave_reason"})
PERSONAL = {"id_number": mask_id_number, "phone": mask_phone}


def _check_org(actor, org: Organization, *, scope: bool = True) -> None:
    if actor is not None and scope:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
    if org.kind not in BRANCH_KINDS:
        raise DomainError(_("党员只能编入党支部（含联合党支部、临时党支部）。"), field="org")
    if org.dissolved_on:
        raise DomainError(_("“%(o)s”已撤销，不能编入党员。") % {"o": org.name}, field="org")


def _check_group(org: Organization, party_group: Organization | None) -> None:
    if party_group is None:
        return
    if party_group.kind != OrgKind.GROUP or not party_group.path.startswith(org.path) or party_group.pk == org.pk:
        raise DomainError(_("党小组必须是所在党支部下的党小组。"), field="party_group")


def _masked(field: str, value) -> str:
    if value in (None, ""):
        return ""
    return PERSONAL[field](str(value)) if field in PERSONAL else str(value)


def history_add(
    *,
    member: Member,
    kind: str,
    summary,
    on: date | None = None,
    from_org: Organization | None = None,
    to_org: Organization | None = None,
    actor=None,
) -> MemberHistory:
    """A timeline row; other apps may add their own (development steps, transfers, dues flags). `summary` is a
    `notification_texts.text(code, **params)` (read in the reader's language) or a plain string."""
    code, params = "", {}
    if isinstance(summary, Text):
        code, params, summary = summary.code, summary.params, summary.title_in()
    return MemberHistory.objects.create(
        code=code,
        params=params,
        member=member,
        kind=kind,
        on=on or date.today(),
        from_org=from_org,
        to_org=to_org,
        summary=summary[:300],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def member_create(
    *,
    actor,
    org: Organization,
    name: str,
    gender: str | None,
    birth_date: date | None,
    id_number: str,
    joined_on: date,
    ethnicity: str = "汉族",
    phone: str = "",
    education: str = "",
    category: str = "",
    status: str = "",
    full_member_on: date | None = None,
    registered_on: date | None = None,
    party_group: Organization | None = None,
    employer_name: str = "",
    enterprise=None,
    job_title: str = "",
    is_floating: bool = False,
    floating_place: str = "",
    user=None,
    history_summary: str = "",
) -> Member:
    _check_org(actor, org)
    _check_group(org, party_group)
    data = clean_member(
        {
            "name": name,
            "gender": gender,
            "birth_date": birth_date,
            "id_number": id_number,
            "joined_on": joined_on,
            "ethnicity": ethnicity,
            "phone": phone,
            "education": education,
            "category": category,
            "status": status,
            "full_member_on": full_member_on,
            "registered_on": registered_on,
            "employer_name": employer_name,
            "job_title": job_title,
            "is_floating": is_floating,
            "floating_place": floating_place,
        }
    )
    blind = index_of(data["id_number"])
    if Member.objects.filter(id_number_index=blind).exists():
        raise DomainError(_("该公民身份号码已有党员登记，不能重复录入。"), field="id_number")
    if user is not None and Member.objects.filter(user=user).exists():
        raise DomainError(_("该平台账号已关联其他党员。"), field="user")
    member = Member.objects.create(
        **data, id_number_index=blind, org=org, party_group=party_group, enterprise=enterprise, user=user
    )
    history_add(
        member=member,
        kind=MemberEventKind.CREATED,
        on=date.today(),
        to_org=org,
        summary=history_summary or text("member.history.registered", o=org.name),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.create",
        obj=member,
        org=org,
        details={"name": mask_name(member.name), "id_number": mask_id_number(member.id_number), "org": org.name},
    )
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **changes) -> Member:
    """Change the member's own fields (not the organization: use member_move)."""
    owned = set(changes) & WORKFLOW_OWNED
    if owned:
        raise DomainError(
            _("党员状态、入党和转正日期、组织关系只能通过发展党员、组织关系转接或离开党组织等流程办理：%(f)s")
            % {"f": "、".join(sorted(owned))}
        )
    unknown = set(changes) - set(EDITABLE) - {"party_group", "enterprise", "user"}
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能修改。"))
    current = {f: getattr(member, f) for f in (*EDITABLE, *MEMBERSHIP)}
    merged = {**current, **{k: v for k, v in changes.items() if k in EDITABLE}}
    if "id_number" in changes and "birth_date" not in changes:
        merged["birth_date"] = None  # re-derived from the new number
    data = clean_member(merged)
    if "party_group" in changes:
        _check_group(member.org, changes["party_group"])
    before_after = {}
    for field in EDITABLE:
        if data[field] != current[field]:
            before_after[field] = [_masked(field, current[field]), _masked(field, data[field])]
            setattr(member, field, data[field])
    member.name_pinyin, member.name_initials = data["name_pinyin"], data["name_initials"]
    if data["id_number"] != current["id_number"]:
        blind = index_of(data["id_number"])
        if Member.objects.filter(id_number_index=blind).exclude(pk=member.pk).exists():
            raise DomainError(_("该公民身份号码已有党员登记，不能重复录入。"), field="id_number")
        member.id_number_index = blind
    for key in ("party_group", "enterprise", "user"):
        if key in changes and getattr(member, key) != changes[key]:
            before_after[key] = [str(getattr(member, key) or ""), str(changes[key] or "")]
            setattr(member, key, changes[key])
    if not before_after:
        return member
    member.save()
    if "name" in before_after:
        before_after["name"] = [mask_name(current["name"]), mask_name(data["name"])]
    labels = [str(Member._meta.get_field(f).verbose_name) for f in before_after]
    history_add(
        member=member,
        kind=MemberEventKind.UPDATED,
        summary=_("修改了：%(f)s") % {"f": "、".join(labels)},
        actor=actor,
    )
    audit.record(actor=actor, action="member.update", obj=member, org=member.org, details={"changes": before_after})
    return member


@transaction.atomic
def member_convert(*, actor, member: Member, full_member_on: date) -> Member:
    """Conversion (转正): a probationary member becomes a full member. Called by the development workflow once
    the higher committee has approved it (step 24), never by a generic edit."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能修改。"))
    if member.status != MemberStatus.PROBATIONARY:
        raise DomainError(_("只有预备党员可以转为正式党员。"), field="status")
    data = clean_member(
        {
            **{f: getattr(member, f) for f in (*EDITABLE, *MEMBERSHIP)},
            "status": MemberStatus.FULL,
            "full_member_on": full_member_on,
        }
    )
    member.status, member.full_member_on = MemberStatus.FULL, data["full_member_on"]
    member.save(update_fields=["status", "full_member_on", "updated_at"])
    history_add(
        member=member,
        kind=MemberEventKind.STATUS,
        on=full_member_on,
        summary=text("member.history.full_member", d=str(full_member_on)),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.convert",
        obj=member,
        org=member.org,
        details={"status": [MemberStatus.PROBATIONARY, MemberStatus.FULL], "full_member_on": full_member_on},
    )
    return member


@transaction.atomic
def member_move(
    *,
    actor,
    member: Member,
    to_org: Organization,
    reason: str,
    on: date | None = None,
    check_source: bool = True,
) -> Member:
    """Move the member's record to another branch. check_source=False lets the accepting side of a transfer
    (which cannot see the source) complete a move the source already approved."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None and check_source:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    _check_org(actor, to_org)
    if member.left_on:
        raise DomainError(_("该党员已离开党组织，不能调整组织关系。"))
    if member.org_id == to_org.pk:
        raise DomainError(_("该党员已在“%(o)s”。") % {"o": to_org.name}, field="to_org")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整原因。"), field="reason")
    from_org = member.org
    member.org = to_org
    member.party_group = None
    member.save(update_fields=["org", "party_group", "updated_at"])
    history_add(
        member=member,
        kind=MemberEventKind.MOVED,
        on=on,
        from_org=from_org,
        to_org=to_org,
        summary=text("member.history.moved", a=from_org.name, b=to_org.name, r=reason[:200]),
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="member.move",
        obj=member,
        org=to_org,
        details={"from": from_org.name, "to": to_org.name, "reason": reason[:200]},
    )
    return member


@transaction.atomic
def members_follow_merge(*, actor, source: Organization, target: Organization, reason: str = "") -> dict:
    """An organization merge (orgs.services.org_merge, through its ORG_MERGING hook): the source's members move to
    the target, each with its history row and its own audit event."""
    members = list(Member.objects.filter(org=source, left_on__isnull=True).select_related("org").order_by("pk"))
    if members and target.kind not in BRANCH_KINDS:
        raise DomainError(_("被合并的组织有党员，只能合并到党支部。"), field="target")
    today = date.today()
    summary = _("“%(a)s”并入“%(b)s”，组织关系随之转入") % {"a": source.name, "b": target.name}
    Member.objects.filter(pk__in=[m.pk for m in members]).update(org=target, party_group=None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    MemberHistory.objects.bulk_create(
        [
            MemberHistory(
                member=m,
                kind=MemberEventKind.MOVED,
                on=today,
                from_org=source,
                to_org=target,
                summary=summary,
                actor=user,
            )
            for m in members
        ]
    )
    for m in members:
        m.org = target
        audit.record(
            actor=actor,
            action="member.move",
            obj=m,
            org=target,
            details={"from": source.name, "to": target.name, "reason": (reason or summary)[:200], "merge": True},
        )
    return {"members": len(members)}


@transaction.atomic
def member_leave(*, actor, member: Member, left_on: date, reason: str, note: str = "") -> Member:
    """The member leaves the organization (transferred out, deceased, expelled, withdrawn, art. 9)."""
    member = Member.objects.select_for_update(of=("self",)).select_related("org").get(pk=member.pk)
    if actor is not None:
        check_in_scope(actor, member, MANAGE, MEMBER_SCOPE)
    if member.left_on:
        raise DomainError(_("该党员已于 %(d)s 离开党组织。") % {"d": member.left_on})
    validate_leave(left_on=left_on, reason=reason, joined_on=member.joined_on)
    member.left_on = left_on
    member.leave_reason = reason
    member.save(update_fields=["left_on", "leave_reason", "updated_at"])
    label = member.get_leave_reason_display()
    reason_msg = dict(Member._meta.get_field("leave_reason").flatchoices).get(reason, label)  # lazy: kept as msgid
    history_add(
        member=member,
        kind=MemberEventKind.LEFT,
        on=left_on,
        from_org=member.org,
        summary=(
            text("member.history.left_note", r_msg=reason_msg, n=note[:100])
            if note
            else text("member.history.left", r_msg=reason_msg)
        ),
        actor=actor,
    )
    audit.record(
        actor=actor, action="member.leave", obj=member, org=member.org, details={"reason": reason, "on": left_on}
    )
    return member


BULK_BATCH = 2000


def _member_params(rows: list[dict]) -> tuple[list[str], list[list], list[int]]:
    """The columns and the parameter rows of an INSERT of validated member rows, and which columns are to be
    encrypted (they still hold the plaintext): Django's per-object, per-field bulk_create machinery costs more
    than the validation itself at 50,000 rows. Dates go through the backend's adapters."""
    from django.db import connection
    from django.utils import timezone

    fields = [f for f in Member._meta.concrete_fields if not f.primary_key]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    adapt_date = connection.ops.adapt_datefield_value
    kinds = []
    for f in fields:
        internal = f.get_internal_type()
        if f.attname in ("created_at", "updated_at"):
            kinds.append("now")
        elif isinstance(f, EncryptedCharField):
            kinds.append("enc")
        elif internal == "DateField":
            kinds.append("date")
        else:
            kinds.append("raw")
    specs = [(f.attname, kind, f.get_default()) for f, kind in zip(fields, kinds, strict=True)]
    params = []
    for row in rows:
        values = []
        for attname, kind, default in specs:
            value = row.get(attname, default)
            if kind == "raw" and value.__class__ is str:
                pass  # most values: nothing to do
            elif kind == "now":
                value = now
            elif kind == "enc":
                value = value or ""
            elif kind == "date":
                value = adapt_date(value)
            elif value.__class__ is not str and isinstance(value, str):
                value = str(value)  # TextChoices members -> plain str for every driver
            values.append(value)
        params.append(values)
    return [f.column for f in fields], params, [i for i, kind in enumerate(kinds) if kind == "enc"]


def _plaintexts(params: list[list], encrypted: list[int]) -> list[list[str]]:
    return [[values[i] for values in params if values[i]] for i in encrypted]


def _fill_tokens(params: list[list], encrypted: list[int], token_columns: list[list[str]]) -> None:
    """Put each column's ciphertexts (of its non-empty values, in order) in place of the plaintexts."""
    for i, tokens in zip(encrypted, token_columns, strict=True):
        filled = [values for values in params if values[i]]
        for values, token in zip(filled, tokens, strict=True):
            values[i] = token


def _insert_rows(rows: list[dict]) -> None:
    """One statement (hongyin.common.bulk_insert: COPY on PostgreSQL) for a batch of validated rows, encrypted
    here with the cipher of EncryptedCharField."""
    columns, params, encrypted = _member_params(rows)
    _fill_tokens(params, encrypted, [sm4_encrypt_many(c) for c in _plaintexts(params, encrypted)])
    insert_rows(Member, columns, params)


@transaction.atomic
def members_bulk_create(*, actor, rows: Iterable[dict], source: str = "import", progress=None) -> int:
    """Create many members at once (roster import, seed). Each row: the member_create keywords with `org`.

    Rows are validated with the same rules as member_create; the first bad row aborts everything (the importer
    validates row by row beforehand to give a full report). One audit event per batch, not per member; no
    history row per member (the timeline shows the registration from created_at).
    """
    today = date.today()
    checked_orgs: set[int] = set()
    seen: set[str] = set()
    batch: list[dict] = []
    total = 0
    keep = (*EDITABLE, *MEMBERSHIP, "name_pinyin", "name_initials")

    unchecked: set[int] = set()
    pending: list = []  # the batch whose ciphertexts are being computed

    def flush() -> None:
        nonlocal batch
        if not batch:
            return
        if actor is not None and unchecked:  # the scope of every new organization, in one query
            from hongyin.common.permissions import scope_queryset

            allowed = set(
                scope_queryset(actor, Organization.objects.filter(pk__in=unchecked), MANAGE, ORG_SCOPE).values_list(
                    "pk", flat=True
                )
            )
            if unchecked - allowed:
                from django.http import Http404

                raise Http404
            unchecked.clear()
        indexes = [m["id_number_index"] for m in batch]
        existing = set()
        for start in range(0, len(indexes), 900):
            existing.update(
                Member.objects.filter(id_number_index__in=indexes[start : start + 900]).values_list(
                    "id_number_index", flat=True
                )
            )
        if existing:
            raise DomainError(_("有公民身份号码已在库中登记，导入已取消。"), field="id_number")
        columns, params, encrypted = _member_params(batch)
        handle = encryptor.submit(_plaintexts(params, encrypted))
        insert_pending()  # the batch before goes in while this one is encrypted
        pending.append((batch, columns, params, encrypted, handle))
        batch = []

    def insert_pending() -> None:
        nonlocal total
        while pending:
            done, columns, params, encrypted, handle = pending.pop()
            _fill_tokens(params, encrypted, encryptor.tokens(handle))
            insert_rows(Member, columns, params)
            orgs = sorted({m["org_id"] for m in done})
            audit.record(
                actor=actor,
                action="member.bulk_create",
                details={"source": source, "count": len(done), "orgs": orgs[:50]},
            )
            total += len(done)
            if progress:
                progress(total)

    with ColumnEncryptor() as encryptor:
        for raw in rows:
            raw = dict(raw)
            org = raw.pop("org")
            party_group = raw.pop("party_group", None)
            enterprise = raw.pop("enterprise", None)
            if org.pk not in checked_orgs:
                _check_org(actor, org, scope=False)
                checked_orgs.add(org.pk)
                unchecked.add(org.pk)
            _check_group(org, party_group)
            data = raw if raw.pop("_clean", False) else clean_member(raw, today=today, fast=True)
            blind = data.get("id_number_index") or index_of(data["id_number"])
            if blind in seen:
                raise DomainError(_("文件中有重复的公民身份号码。"), field="id_number")
            seen.add(blind)
            row = {k: data[k] for k in keep if k in data}
            row.update(
                id_number_index=blind,
                org_id=org.pk,
                party_group_id=party_group.pk if party_group else None,
                enterprise_id=enterprise.pk if enterprise else None,
            )
            batch.append(row)
            if len(batch) >= BULK_BATCH:
                flush()
        flush()
        insert_pending()
    return total
