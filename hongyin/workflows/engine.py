"""One workflow engine: a declared state machine per workflow and one transition function.

A workflow declares its transitions (action -> the states it may start from, the state it leads to, its label,
who may do it). `Workflow.move` is the only way a state changes: it locks the row, refuses a stale move (someone
else moved the record since it was read, or since the page was shown: the `version` counter), checks the action
against the stored state, saves only the fields that changed, writes the workflow's event row and the audit event
in the same transaction. Notifications are the callers' (hongyin.common.notifications sends on commit).

The same declaration offers the actions: `actions_for(user, obj)` is what the page shows, the API accepts and the
service allows, so the three cannot drift apart.

    APPEAL_FLOW = Workflow(
        key="appeal",
        model=Appeal,
        transitions=[Transition("accept", {S.DISPATCHED}, S.IN_PROGRESS, _("签收"), may=is_handler), ...],
        record_event=lambda obj, **e: AppealEvent.objects.create(appeal=obj, **e),
        audit_org=lambda appeal: appeal.enterprise.org,
        stale_message=_("该诉求已被他人处理，请刷新后重试。"),
    )
    APPEAL_FLOW.move(actor=user, obj=appeal, action="accept", changes={"accepted_on": today})
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError

from .models import Counter

WORKFLOWS: dict[str, "Workflow"] = {}  # every declared workflow by key (the audit labels read their actions)
_PRELOCKED = threading.local()  # rows locked by `Workflow.locked` for the moves of one bulk action


class StaleMove(DomainError):
    """Someone else moved the record first: nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, field="version", code="stale")


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None = None  # None keeps the state
    label: Any = ""
    may: Callable[[Any, Any], bool] | None = None  # (user, obj) -> may this user do it on this object

    def __post_init__(self):
        object.__setattr__(self, "sources", frozenset(self.sources))


@dataclass
class Workflow:
    key: str
    model: type[models.Model]  # a TracksLoadedValues model with a `version` field
    transitions: Iterable[Transition]
    record_event: Callable[..., Any]  # (obj, *, actor, action, before, after, note) -> the event row
    audit_org: Callable[[Any], Any] = lambda obj: None
    audit_details: Callable[[Any], dict] = lambda obj: {}
    stale_message: Any = ""
    state_field: str = "status"
    version_field: str = "version"
    by_action: dict[str, Transition] = field(init=False)

    def __post_init__(self):
        self.by_action = {t.action: t for t in self.transitions}
        WORKFLOWS[self.key] = self

    # --- the declaration, read ---------------------------------------------------------------------------------

    def label(self, action: str):
        return self.by_action[action].label

    def state_of(self, obj) -> str:
        return getattr(obj, self.state_field)

    def check(self, obj, action: str) -> Transition:
        """The transition, if the object's state allows it; a DomainError that names state and action otherwise."""
        t = self.by_action.get(action)
        if t is None:
            raise DomainError(_("未知操作。"), field="action")
        if self.state_of(obj) not in t.sources:
            display = getattr(obj, f"get_{self.state_field}_display")()
            raise DomainError(
                _("当前状态为“%(s)s”，不能执行“%(a)s”。") % {"s": display, "a": t.label}, field=self.state_field
            )
        return t

    def actions_for(self, user, obj) -> list[Transition]:
        """What this user may do on this object now: the page offers these, the API and the services allow these."""
        state = self.state_of(obj)
        return [t for t in self.by_action.values() if state in t.sources and (t.may is None or t.may(user, obj))]

    def may(self, user, obj, action: str) -> bool:
        return any(t.action == action for t in self.actions_for(user, obj))

    # --- the one transition function ---------------------------------------------------------------------------

    def _lock(self, queryset) -> list[dict]:
        attnames = [f.attname for f in self.model._meta.concrete_fields]
        return list(queryset.select_for_update().values(*attnames))

    @contextmanager
    def locked(self, objects):
        """A bulk action: lock all the rows in one query; each `move` inside reads its row's stored values from it.
        Use inside a transaction."""
        pks = [o.pk for o in objects]
        rows = {(self.key, r["id"]): r for r in self._lock(self.model._base_manager.filter(pk__in=pks))}
        previous = _PRELOCKED.__dict__.get("rows")
        _PRELOCKED.rows = {**(previous or {}), **rows}
        try:
            yield
        finally:
            _PRELOCKED.rows = previous or {}

    def expect_version(self, obj, posted) -> None:
        """The page or API client says which version it acted on; a different one is a stale move."""
        if posted in (None, ""):
            return
        try:
            seen = int(posted)
        except (TypeError, ValueError):
            raise StaleMove(str(self.stale_message))
        if seen != getattr(obj, self.version_field):
            raise StaleMove(str(self.stale_message))

    @transaction.atomic
    def move(
        self,
        *,
        actor,
        obj,
        action: str,
        note: str = "",
        to: str | None = None,
        changes: dict | None = None,
        details: dict | None = None,
    ):
        """Lock, refuse a stale move, check, save what changed, write the event row and the audit event."""
        stored = _PRELOCKED.__dict__.get("rows", {}).pop((self.key, obj.pk), None)
        if stored is None:
            stored = self._lock(self.model._base_manager.filter(pk=obj.pk))[0]
        locked = self.model(**stored)  # the stored values, as the database holds them under the lock
        if getattr(locked, self.version_field) != getattr(obj, self.version_field):
            raise StaleMove(str(self.stale_message))
        t = self.check(locked, action)
        if actor is not None and t.may is not None and not t.may(actor, locked):
            raise PermissionDenied  # the services say why first; this keeps them true to the declaration
        before = self.state_of(locked)
        for name, value in (changes or {}).items():
            setattr(obj, name, value)
        target = to if to is not None else t.target
        if target is not None:
            setattr(obj, self.state_field, target)
        setattr(obj, self.version_field, getattr(locked, self.version_field) + 1)
        # Only what this move changed: a field another writer set meanwhile (the SLA sweep) is never put back.
        changed = obj.changed_fields(baseline=stored)
        if any(f.name == "updated_at" for f in self.model._meta.concrete_fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
        obj.mark_saved(changed)
        after = self.state_of(obj)
        actor_user = actor if getattr(actor, "is_authenticated", False) else None
        self.record_event(obj, actor=actor_user, action=action, before=before, after=after, note=note)
        audit.record(
            actor=actor,
            action=f"{self.key}.{action}",
            obj=obj,
            org=self.audit_org(obj),
            details={"from": before, "to": after, **self.audit_details(obj), **(details or {})},
        )
        return obj


def next_in_sequence(key: str, *, start_after: Callable[[], int]) -> int:
    """The next running number of `key` (e.g. "GD20261201"), from a locked counter row: two requests at the same
    moment never get the same number. `start_after` gives the highest number already used when the row is new."""
    with transaction.atomic():
        counter = Counter.objects.select_for_update().filter(key=key).first()
        if counter is None:
            Counter.objects.get_or_create(key=key, defaults={"value": start_after()})
            counter = Counter.objects.select_for_update().get(key=key)
        counter.value += 1
        counter.save(update_fields=["value"])
        return counter.value
