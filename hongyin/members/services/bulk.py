"""Many members at once (roster import, seed): validated like one, inserted in one statement per batch,
encrypted in a worker while the batch before is inserted."""

from collections.abc import Iterable
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.bulk_crypto import ColumnEncryptor
from hongyin.common.bulk_insert import insert_rows
from hongyin.common.crypto import sm4_encrypt_many
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.fields import EncryptedCharField, index_of
from hongyin.common.permissions import scope_queryset
from hongyin.orgs.models import Organization
from hongyin.orgs.permissions import ORG_SCOPE

from ..models import Member
from ..validation import clean_member
from .records import EDITABLE, MANAGE, MEMBERSHIP, check_group, check_org

BULK_BATCH = 2000


def _member_params(rows: list[dict]) -> tuple[list[str], list[list], list[int]]:
    """The columns and the parameter rows of an INSERT of validated member rows, and which columns are to be
    encrypted (they still hold the plaintext): Django's per-object, per-field bulk_create machinery costs more
    than the validation itself at 50,000 rows. Dates go through the backend's adapters."""
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


def insert_member_rows(rows: list[dict]) -> None:
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
            allowed = set(
                scope_queryset(actor, Organization.objects.filter(pk__in=unchecked), MANAGE, ORG_SCOPE).values_list(
                    "pk", flat=True
                )
            )
            if unchecked - allowed:
                raise NotFound
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
                check_org(actor, org, scope=False)
                checked_orgs.add(org.pk)
                unchecked.add(org.pk)
            check_group(org, party_group)
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
