"""The points rule engine and the writes of the ledger.

`award` and `award_many` are called by the services of other apps reacting to a real event (a meeting attended,
a check-in, a material finished with the minimum dwell ...), inside the caller's transaction; a member never grants
points to themself. The ledger is append-only and idempotent per (member, action, source); the rule set effective
on the day of the event applies (a new version never rewrites an entry already written); the daily cap per action
cuts or refuses points. Each write keeps the member's year total (MemberYearTotal) in the same transaction: the
rankings read the totals, never the whole ledger.

The zone configures new rule-set versions and the rankings switch; a secretary grants a manual adjustment to
another member of their scope, with a reason. Those writes check the scope and are audited."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.permissions import check_in_scope, covers_whole_zone
from hongyin.members.models import Member
from hongyin.members.permissions import MEMBER_SCOPE

from .models import (
    RULE_ACTIONS,
    Action,
    Adjustment,
    MemberYearTotal,
    PointEntry,
    PointsSettings,
    Rule,
    RuleSet,
)

CONFIGURE = "points.configure"
ADJUST = "points.adjust"
MAX_QUANTITY = Decimal(1000)
MAX_POINTS = 1000
MAX_ADJUSTMENT = 100
MAX_DWELL = 24 * 3600


# --- the rule engine ------------------------------------------------------------------------------------------------


def source_key(source) -> tuple[str, str]:
    """("app_label.model", "pk") of a saved model instance, or of a ("app_label.model", pk) pair."""
    if isinstance(source, tuple) and len(source) == 2:
        label, pk = source
        if label and pk is not None:
            return str(label)[:64], str(pk)[:40]
    meta = getattr(source, "_meta", None)
    if meta is not None and getattr(source, "pk", None) is not None:
        return meta.label_lower, str(source.pk)
    raise DomainError(_("积分来源无效：必须是已保存的记录。"), field="source")


def _local_day(occurred_at) -> date:
    if isinstance(occurred_at, datetime):
        if timezone.is_aware(occurred_at):
            return timezone.localtime(occurred_at).date()
        return occurred_at.date()
    if isinstance(occurred_at, date):
        return occurred_at
    raise DomainError(_("请提供发生时间。"), field="occurred_at")


def _aware(occurred_at) -> datetime:
    if isinstance(occurred_at, datetime):
        return occurred_at if timezone.is_aware(occurred_at) else timezone.make_aware(occurred_at)
    return timezone.make_aware(datetime(occurred_at.year, occurred_at.month, occurred_at.day, 12))


def _quantity(value) -> Decimal:
    try:
        q = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("数量无效。"), field="quantity") from None
    if not q.is_finite() or q <= 0 or q > MAX_QUANTITY:
        raise DomainError(_("数量必须大于 0 且不超过 %(n)s。") % {"n": MAX_QUANTITY}, field="quantity")
    return q.quantize(Decimal("0.01"))


def _check_action(action) -> str:
    if action not in RULE_ACTIONS:
        raise DomainError(_("未知的积分行为：%(a)s") % {"a": action}, field="action")
    return action


def _check_dwell(rule: Rule, dwell_seconds) -> None:
    if not rule.min_dwell_seconds:
        return
    try:
        dwell = int(dwell_seconds) if dwell_seconds is not None else None
    except (TypeError, ValueError):
        dwell = None
    if dwell is None or dwell < rule.min_dwell_seconds:
        raise DomainError(
            _("学习时长不足：至少需要 %(m)d 秒，实际 %(s)s 秒，不计积分。")
            % {"m": rule.min_dwell_seconds, "s": dwell if dwell is not None else 0},
            field="dwell_seconds",
            code="dwell",
        )


def rule_points(rule: Rule, quantity: Decimal) -> int:
    raw = Decimal(rule.points) * quantity * Decimal(rule.multiplier)
    return int(raw.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class RuleBook:
    """Every rule of every version, read once: the rule of an action on a day (the version effective then)."""

    def __init__(self):
        self.by_action: dict[str, list[tuple[date, Rule]]] = defaultdict(list)
        for rule in Rule.objects.select_related("ruleset").order_by("-ruleset__effective_from"):
            self.by_action[rule.action].append((rule.ruleset.effective_from, rule))

    def rule(self, action: str, day: date) -> Rule | None:
        for effective_from, rule in self.by_action.get(action, ()):
            if effective_from <= day:
                return rule
        return None


def rule_at(action: str, day: date) -> Rule | None:
    return (
        Rule.objects.filter(action=action, ruleset__effective_from__lte=day)
        .select_related("ruleset")
        .order_by("-ruleset__effective_from")
        .first()
    )


def _add_to_total(member_id: int, year: int, points: int, entries: int = 1) -> None:
    if not MemberYearTotal.objects.filter(member_id=member_id, year=year).update(
        points=F("points") + points, entries=F("entries") + entries
    ):
        try:
            with transaction.atomic():
                MemberYearTotal.objects.create(member_id=member_id, year=year, points=points, entries=entries)
        except IntegrityError:  # created meanwhile by a concurrent award
            MemberYearTotal.objects.filter(member_id=member_id, year=year).update(
                points=F("points") + points, entries=F("entries") + entries
            )


def _lock_member_year(member_id: int, year: int) -> None:
    """Serialize the awards of one member in one year (the daily cap reads, then writes)."""
    if not MemberYearTotal.objects.select_for_update().filter(member_id=member_id, year=year).exists():
        try:
            with transaction.atomic():
                MemberYearTotal.objects.create(member_id=member_id, year=year, points=0, entries=0)
        except IntegrityError:
            pass
        MemberYearTotal.objects.select_for_update().filter(member_id=member_id, year=year).exists()


def award(*, member, action: str, source, occurred_at, quantity=1, dwell_seconds=None) -> PointEntry | None:
    """Award the points of `action` for `source` to `member`, under the rules effective on the day it occurred.

    Returns the ledger entry, or None when nothing is written: already awarded for this source, no rule (or zero
    points) for the action that day, or the daily cap reached. Below a rule's minimum dwell it raises DomainError.
    Runs inside the caller's transaction (a savepoint of its own)."""
    action = _check_action(action)
    source_type, source_id = source_key(source)
    day = _local_day(occurred_at)
    quantity = _quantity(quantity)
    member_id = member.pk if isinstance(member, Member) else int(member)
    rule = rule_at(action, day)
    if rule is None:
        return None
    _check_dwell(rule, dwell_seconds)
    points = min(rule_points(rule, quantity), MAX_POINTS * int(MAX_QUANTITY))
    if points <= 0:
        return None
    with transaction.atomic():
        _lock_member_year(member_id, day.year)
        if PointEntry.objects.filter(
            member_id=member_id, action=action, source_type=source_type, source_id=source_id
        ).exists():
            return None
        if rule.daily_cap is not None:
            used = (
                PointEntry.objects.filter(member_id=member_id, action=action, day=day).aggregate(s=Sum("points"))["s"]
                or 0
            )
            points = min(points, rule.daily_cap - used)
            if points <= 0:
                return None
        try:
            with transaction.atomic():
                entry = PointEntry.objects.create(
                    member_id=member_id,
                    action=action,
                    source_type=source_type,
                    source_id=source_id,
                    occurred_at=_aware(occurred_at),
                    day=day,
                    year=day.year,
                    quantity=quantity,
                    points=points,
                    rule_version=rule.ruleset.version,
                )
        except IntegrityError:
            return None
        _add_to_total(member_id, day.year, points)
    return entry


@dataclass
class _Pending:
    member_id: int
    action: str
    source_type: str
    source_id: str
    occurred_at: datetime
    day: date
    quantity: Decimal
    points: int
    cap: int | None
    version: int


def award_many(rows, *, chunk: int = 5000) -> int:
    """`award` for many rows (dicts with award's keys): the same rules, caps and idempotency, in few queries.

    Rows are taken in order (the daily cap counts the earlier rows first). Returns the number of entries written.
    A row below its rule's minimum dwell raises DomainError and nothing is written."""
    book = RuleBook()
    pending: list[_Pending] = []
    for row in rows:
        action = _check_action(row["action"])
        source_type, source_id = source_key(row["source"])
        occurred_at = row["occurred_at"]
        day = _local_day(occurred_at)
        quantity = _quantity(row.get("quantity", 1))
        rule = book.rule(action, day)
        if rule is None:
            continue
        _check_dwell(rule, row.get("dwell_seconds"))
        points = rule_points(rule, quantity)
        if points <= 0:
            continue
        member = row["member"]
        member_id = member.pk if isinstance(member, Member) else int(member)
        pending.append(
            _Pending(
                member_id,
                action,
                source_type,
                source_id,
                _aware(occurred_at),
                day,
                quantity,
                points,
                rule.daily_cap,
                rule.ruleset.version,
            )
        )
    written = 0
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic():
        seen: set[tuple] = set()
        used: dict[tuple, int] = {}
        totals: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        for start in range(0, len(pending), chunk):
            part = pending[start : start + chunk]
            member_ids = {p.member_id for p in part}
            existing = PointEntry.objects.filter(
                member_id__in=member_ids, source_id__in={p.source_id for p in part}
            ).values_list("member_id", "action", "source_type", "source_id")
            seen.update(existing)
            capped = [p for p in part if p.cap is not None]
            missing = {(p.member_id, p.action, p.day) for p in capped} - used.keys()
            if missing:
                for m, a, d, s in (
                    PointEntry.objects.filter(
                        member_id__in={k[0] for k in missing},
                        action__in={k[1] for k in missing},
                        day__in={k[2] for k in missing},
                    )
                    .values_list("member_id", "action", "day")
                    .annotate(s=Sum("points"))
                ):
                    if (m, a, d) in missing:
                        used[(m, a, d)] = s or 0
            entries = []
            for p in part:
                key = (p.member_id, p.action, p.source_type, p.source_id)
                if key in seen:
                    continue
                points = p.points
                if p.cap is not None:
                    k = (p.member_id, p.action, p.day)
                    points = min(points, p.cap - used.get(k, 0))
                    if points <= 0:
                        continue
                    used[k] = used.get(k, 0) + points
                seen.add(key)
                entries.append(
                    (
                        p.member_id,
                        p.action,
                        p.source_type,
                        p.source_id,
                        ops.adapt_datetimefield_value(p.occurred_at),
                        ops.adapt_datefield_value(p.day),
                        p.day.year,
                        ops.adapt_decimalfield_value(p.quantity, 8, 2),
                        points,
                        p.version,
                        now,
                    )
                )
                t = totals[(p.member_id, p.day.year)]
                t[0] += points
                t[1] += 1
            with connection.cursor() as cur:  # plain rows: model instances cost more than the insert
                cur.executemany(INSERT_ENTRY, entries)
            written += len(entries)
        add_totals(totals)
    return written


INSERT_ENTRY = (
    "INSERT INTO points_pointentry (member_id, action, source_type, source_id, occurred_at, day, year, quantity, "
    "points, rule_version, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
ADD_TOTAL = (
    "UPDATE points_memberyeartotal SET points = points + %s, entries = entries + %s WHERE member_id = %s AND year = %s"
)


def add_totals(totals: dict[tuple[int, int], list[int]]) -> None:
    """Add (points, entries) per (member_id, year) to the year totals, in bulk."""
    if not totals:
        return
    keys = list(totals)
    for start in range(0, len(keys), 5000):
        part = keys[start : start + 5000]
        existing = set(
            MemberYearTotal.objects.select_for_update()
            .filter(member_id__in={k[0] for k in part}, year__in={k[1] for k in part})
            .values_list("member_id", "year")
        )
        changed, new = [], []
        for k in part:
            pts, n = totals[k]
            if k in existing:
                changed.append((pts, n, k[0], k[1]))
            else:
                new.append(MemberYearTotal(member_id=k[0], year=k[1], points=pts, entries=n))
        with connection.cursor() as cur:
            cur.executemany(ADD_TOTAL, changed)
        MemberYearTotal.objects.bulk_create(new, batch_size=1000)


# --- the zone's configuration ---------------------------------------------------------------------------------------


def _check_zone(actor) -> None:
    if actor is None or not covers_whole_zone(actor, CONFIGURE):
        raise DomainError(_("只有党工委组织部可以配置积分规则。"), code="forbidden")


def _int(value, *, field: str, label, low: int, high: int, optional: bool = False) -> int | None:
    if value in (None, "") and optional:
        return None
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(l)s必须是整数。") % {"l": label}, field=field) from None
    if not low <= n <= high:
        raise DomainError(_("%(l)s必须在 %(a)d 到 %(b)d 之间。") % {"l": label, "a": low, "b": high}, field=field)
    return n


def _multiplier(value, *, field: str) -> Decimal:
    if value in (None, ""):
        return Decimal(1)
    try:
        m = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError(_("倍数必须是数字。"), field=field) from None
    if not m.is_finite() or not Decimal("0.1") <= m <= Decimal(10):
        raise DomainError(_("倍数必须在 0.1 到 10 之间。"), field=field)
    return m.quantize(Decimal("0.01"))


def clean_rules(rules: dict) -> dict[str, dict]:
    """Check the rules of a version: {action: {points, daily_cap, multiplier, min_dwell_seconds}}."""
    cleaned = {}
    for action in RULE_ACTIONS:
        data = rules.get(action.value) or rules.get(action)
        if not data:
            continue
        label = Action(action).label
        points = _int(data.get("points"), field=f"{action}_points", label=label, low=0, high=MAX_POINTS)
        cap = _int(
            data.get("daily_cap"), field=f"{action}_daily_cap", label=_("每日上限"), low=1, high=100000, optional=True
        )
        dwell = _int(
            data.get("min_dwell_seconds"),
            field=f"{action}_min_dwell_seconds",
            label=_("最短学习时长"),
            low=1,
            high=MAX_DWELL,
            optional=True,
        )
        if action == Action.STUDY_FINISH and dwell is None:
            raise DomainError(_("完成学习必须设置最短学习时长。"), field=f"{action}_min_dwell_seconds")
        cleaned[action.value] = {
            "points": points,
            "daily_cap": cap,
            "multiplier": _multiplier(data.get("multiplier"), field=f"{action}_multiplier"),
            "min_dwell_seconds": dwell,
        }
    if not cleaned:
        raise DomainError(_("请至少配置一项积分规则。"))
    return cleaned


@transaction.atomic
def ruleset_create(*, actor, effective_from: date, rules: dict, note: str = "", allow_past: bool = False) -> RuleSet:
    """A new version of the rules, effective from a date that is not in the past (what was awarded stays)."""
    if actor is not None or not allow_past:
        _check_zone(actor)
    if not isinstance(effective_from, date):
        raise DomainError(_("请填写生效日期。"), field="effective_from")
    today = timezone.localdate()
    if effective_from < today and not allow_past:
        raise DomainError(_("生效日期不能早于今天：新规则不改写已记入的积分。"), field="effective_from", code="past")
    if effective_from.year > today.year + 5:
        raise DomainError(_("请填写正确的生效日期。"), field="effective_from")
    note = str(note or "").strip()
    if len(note) > 200:
        raise DomainError(_("说明不能超过 200 个字。"), field="note")
    cleaned = clean_rules(rules)
    if RuleSet.objects.select_for_update().filter(effective_from=effective_from).exists():
        raise DomainError(
            _("%(d)s 已有一个生效的规则版本，请选择其他日期。") % {"d": effective_from}, field="effective_from"
        )
    last = RuleSet.objects.order_by("-version").values_list("version", flat=True).first() or 0
    ruleset = RuleSet.objects.create(version=last + 1, effective_from=effective_from, note=note, created_by=actor)
    Rule.objects.bulk_create([Rule(ruleset=ruleset, action=a, **data) for a, data in cleaned.items()])
    audit.record(
        actor=actor,
        action="points.ruleset_create",
        obj=ruleset,
        details={"version": ruleset.version, "effective_from": str(effective_from), "rules": cleaned},
    )
    return ruleset


@transaction.atomic
def settings_update(*, actor, rankings_enabled: bool, version) -> PointsSettings:
    _check_zone(actor)
    current, _created = PointsSettings.objects.select_for_update().get_or_create(pk=1)
    if str(version) != str(current.version):
        raise DomainError(_("积分设置已被他人修改，请刷新后重试。"), code="stale")
    current.rankings_enabled = bool(rankings_enabled)
    current.version += 1
    current.save(update_fields=["rankings_enabled", "version", "updated_at"])
    audit.record(
        actor=actor, action="points.settings", obj=current, details={"rankings_enabled": current.rankings_enabled}
    )
    return current


# --- manual adjustments ---------------------------------------------------------------------------------------------


@transaction.atomic
def adjustment_grant(*, actor, member: Member, points, reason: str) -> PointEntry:
    """A secretary grants (or takes back) points to another member of their scope, with a reason; audited."""
    check_in_scope(actor, member, ADJUST, MEMBER_SCOPE)
    if member.user_id is not None and member.user_id == actor.pk:
        raise DomainError(_("不能给自己调整积分。"), field="member", code="self")
    if not member.is_active:
        raise DomainError(_("该党员已不在本组织，不能调整积分。"), field="member")
    n = _int(points, field="points", label=_("调整积分"), low=-MAX_ADJUSTMENT, high=MAX_ADJUSTMENT)
    if n == 0:
        raise DomainError(_("调整积分不能为 0。"), field="points")
    reason = str(reason or "").strip()
    if not reason:
        raise DomainError(_("请填写调整原因。"), field="reason")
    if len(reason) > 200 or "\x00" in reason:
        raise DomainError(_("调整原因不能超过 200 个字。"), field="reason")
    adj = Adjustment.objects.create(member=member, points=n, reason=reason, granted_by=actor)
    now = timezone.now()
    day = timezone.localdate(now)
    entry = PointEntry.objects.create(
        member=member,
        action=Action.MANUAL,
        source_type=adj._meta.label_lower,
        source_id=str(adj.pk),
        occurred_at=now,
        day=day,
        year=day.year,
        quantity=1,
        points=n,
        rule_version=None,
    )
    _add_to_total(member.pk, day.year, n)
    audit.record(
        actor=actor,
        action="points.adjust",
        obj=member,
        org=member.org,
        details={"points": n, "reason": reason, "adjustment": adj.pk},
    )
    return entry
