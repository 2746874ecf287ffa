"""Incubation bases and the enterprises' stays in them."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from ..models import Building, Enterprise, Incubation, IncubationBase
from .registry import check_manage


@transaction.atomic
def incubation_base_create(*, actor, name: str, kind: str, building: Building | None = None) -> IncubationBase:
    check_manage(actor)
    name = (name or "").strip()
    if not name:
        raise DomainError(_("请填写孵化载体名称。"), field="name")
    if IncubationBase.objects.filter(name=name).exists():
        raise DomainError(_("孵化载体“%(n)s”已存在。") % {"n": name}, field="name")
    base = IncubationBase.objects.create(name=name, kind=kind, building=building)
    audit.record(actor=actor, action="incubation.base_create", obj=base)
    return base


@transaction.atomic
def incubation_add(
    *, actor, enterprise: Enterprise, base: IncubationBase, entered_on: date, graduated_on: date | None = None
) -> Incubation:
    check_manage(actor, enterprise)
    if entered_on is None:
        raise DomainError(_("请填写入驻日期。"), field="entered_on")
    if graduated_on is not None and graduated_on < entered_on:
        raise DomainError(_("毕业日期不能早于入驻日期。"), field="graduated_on")
    if Incubation.objects.filter(enterprise=enterprise, graduated_on__isnull=True).exists():
        raise DomainError(_("该企业尚在孵化载体中，请先登记毕业日期。"), field="base")
    stay = Incubation.objects.create(enterprise=enterprise, base=base, entered_on=entered_on, graduated_on=graduated_on)
    audit.record(actor=actor, action="incubation.add", obj=enterprise, details={"base": base.name})
    return stay


@transaction.atomic
def incubation_graduate(*, actor, stay: Incubation, graduated_on: date | None) -> Incubation:
    stay = Incubation.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=stay.pk)
    check_manage(actor, stay.enterprise)
    if graduated_on is None:
        raise DomainError(_("请填写毕业日期。"), field="graduated_on")
    if stay.graduated_on is not None:
        raise DomainError(
            _("该入孵记录已于 %(d)s 登记毕业。") % {"d": stay.graduated_on.isoformat()}, field="graduated_on"
        )
    if graduated_on < stay.entered_on:
        raise DomainError(_("毕业日期不能早于入驻日期。"), field="graduated_on")
    if graduated_on > date.today():
        raise DomainError(_("毕业日期不能晚于今天。"), field="graduated_on")
    stay.graduated_on = graduated_on
    stay.save(update_fields=["graduated_on"])
    audit.record(
        actor=actor,
        action="incubation.graduate",
        obj=stay.enterprise,
        details={"base": stay.base_id, "graduated_on": graduated_on},
    )
    return stay
