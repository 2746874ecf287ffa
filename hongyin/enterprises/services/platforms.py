"""Innovation platforms and new R&D institutions of a chain."""

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from ..models import ChainNode, IndustryChain, InnovationPlatform, PlatformKind
from .chains import check_chain_manage

PLATFORM_EDITABLE = frozenset({"name", "kind", "node", "enterprise"})


def _clean_platform(chain: IndustryChain, data: dict) -> dict:
    """Validates the given platform fields (all of them on create, the changed ones on update)."""
    out = dict(data)
    if "name" in out:
        name = (out["name"] or "").strip()
        if not name:
            raise DomainError(_("请填写平台名称。"), field="name")
        if len(name) > 120:
            raise DomainError(_("平台名称不能超过 120 个字符。"), field="name")
        out["name"] = name
    if "kind" in out and out["kind"] not in PlatformKind.values:
        raise DomainError(_("类型须为创新平台或新型研发机构。"), field="kind")
    if out.get("node") is not None and out["node"].chain_id != chain.pk:
        raise DomainError(_("环节不属于该产业链。"), field="node")
    return out


@transaction.atomic
def platform_create(
    *, actor, chain: IndustryChain, name: str, kind: str, node: ChainNode | None = None, enterprise=None
) -> InnovationPlatform:
    check_chain_manage(actor, chain)
    data = _clean_platform(chain, {"name": name, "kind": kind, "node": node, "enterprise": enterprise})
    platform = InnovationPlatform.objects.create(chain=chain, **data)
    audit.record(actor=actor, action="chain.platform_create", obj=platform, details={"chain": chain.pk})
    return platform


def _platform_value(platform: InnovationPlatform, field: str) -> tuple:
    """(what is stored, what the audit shows): a node or an enterprise is compared by id, shown by name."""
    value = getattr(platform, field)
    stored = platform.serializable_value(field)
    return stored, "" if value is None else str(value)


@transaction.atomic
def platform_update(*, actor, platform: InnovationPlatform, **changes) -> InnovationPlatform:
    """Renames a platform, changes its kind, its node (None: none) or its host enterprise (None: none)."""
    check_chain_manage(actor, platform.chain)
    unknown = set(changes) - PLATFORM_EDITABLE
    if unknown:
        raise DomainError(_("未知字段：%(f)s") % {"f": ", ".join(sorted(unknown))})
    data = _clean_platform(platform.chain, changes)
    before = {k: _platform_value(platform, k) for k in data}
    for k, v in data.items():
        setattr(platform, k, v)
    after = {k: _platform_value(platform, k) for k in data}
    changed = {k: [before[k][1], after[k][1]] for k in data if before[k][0] != after[k][0]}
    if not changed:
        return platform
    platform.save(update_fields=list(changed))
    audit.record(actor=actor, action="chain.platform_update", obj=platform, details=changed)
    return platform


@transaction.atomic
def platform_delete(*, actor, platform: InnovationPlatform) -> None:
    check_chain_manage(actor, platform.chain)
    audit.record(
        actor=actor,
        action="chain.platform_delete",
        obj=platform,
        details={"chain": platform.chain_id, "name": platform.name, "kind": platform.kind},
    )
    platform.delete()
