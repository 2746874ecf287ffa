"""Writes of the party-spirit check-up: the zone publishes a questionnaire version; a member fills and submits their
own check-up of the year (never another's); the branch secretary reviews a submitted one (never their own).

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing; a stale `version` is refused."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import check_in_scope, covers_whole_zone
from hongyin.members.models import Member
from hongyin.orgs.permissions import ORG_SCOPE

from .models import SCORE_MAX, SCORE_MIN, Answer, Checkup, CheckupStatus, Dimension, Item, Questionnaire

S = CheckupStatus
CONFIGURE = "checkup.configure"
REVIEW = "checkup.review"
MAX_DIMENSIONS = 12
MAX_ITEMS = 20
TEXT_LIMIT = 5000


# --- the questionnaire ----------------------------------------------------------------------------------------------


def parse_outline(text: str) -> list[tuple[str, list[str]]]:
    """ "# 维度" lines start a dimension; the lines after it are its items (empty lines are skipped)."""
    dims: list[tuple[str, list[str]]] = []
    for raw in str(text or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            dims.append((line.lstrip("#").strip(), []))
        elif not dims:
            raise DomainError(_("第一行必须是以 # 开头的维度名称。"), field="outline")
        else:
            dims[-1][1].append(line.lstrip("-*· ").strip())
    return dims


def outline_of(q: Questionnaire | None) -> str:
    if q is None:
        return ""
    lines = []
    for d in q.dimensions.all():
        lines.append(f"# {d.name}")
        lines.extend(i.text for i in d.items.all())
    return "\n".join(lines)


@transaction.atomic
def questionnaire_create(
    *, actor, title: str, dimensions: list[tuple[str, list[str]]], note: str = ""
) -> Questionnaire:
    """A new version of the questionnaire (the check-ups already filled keep theirs)."""
    if actor is not None and not covers_whole_zone(actor, CONFIGURE):
        raise DomainError(_("只有党工委组织部可以配置党性体检问卷。"), code="forbidden")
    title = str(title or "").strip()
    if not title or len(title) > 120:
        raise DomainError(_("请填写问卷名称（不超过 120 个字）。"), field="title")
    note = str(note or "").strip()[:300]
    if not dimensions:
        raise DomainError(_("问卷至少需要一个维度。"), field="outline")
    if len(dimensions) > MAX_DIMENSIONS:
        raise DomainError(_("维度不能超过 %(n)d 个。") % {"n": MAX_DIMENSIONS}, field="outline")
    names = set()
    for name, items in dimensions:
        if not name or len(name) > 40:
            raise DomainError(_("维度名称不能为空，也不能超过 40 个字。"), field="outline")
        if name in names:
            raise DomainError(_("维度“%(d)s”重复。") % {"d": name}, field="outline")
        names.add(name)
        if not items:
            raise DomainError(_("维度“%(d)s”至少需要一个体检项目。") % {"d": name}, field="outline")
        if len(items) > MAX_ITEMS:
            raise DomainError(_("每个维度的项目不能超过 %(n)d 个。") % {"n": MAX_ITEMS}, field="outline")
        if any(not t or len(t) > 200 or "\x00" in t for t in items):
            raise DomainError(_("体检项目不能为空，也不能超过 200 个字。"), field="outline")
    last = Questionnaire.objects.select_for_update().order_by("-version").values_list("version", flat=True).first()
    q = Questionnaire.objects.create(version=(last or 0) + 1, title=title, note=note, created_by=actor)
    for order, (name, items) in enumerate(dimensions, 1):
        d = Dimension.objects.create(questionnaire=q, order=order, name=name)
        Item.objects.bulk_create([Item(dimension=d, order=i, text=t) for i, t in enumerate(items, 1)])
    audit.record(
        actor=actor,
        action="checkup.questionnaire",
        obj=q,
        details={"version": q.version, "dimensions": [n for n, _i in dimensions]},
    )
    return q


def current_questionnaire() -> Questionnaire | None:
    return _with_items(Questionnaire.objects.order_by("-version")).first()


def _with_items(qs):
    return qs.prefetch_related(
        Prefetch("dimensions", queryset=Dimension.objects.order_by("order")),
        Prefetch("dimensions__items", queryset=Item.objects.order_by("order")),
    )


# --- scores ---------------------------------------------------------------------------------------------------------


def dimension_scores(q: Questionnaire, scores: dict[int, int]) -> dict[str, float]:
    """{dimension name: 0-100} from item scores 1-5 (the mean of the answered items, as a share of 5)."""
    out = {}
    for d in q.dimensions.all():
        values = [scores[i.pk] for i in d.items.all() if scores.get(i.pk) is not None]
        if values:
            out[d.name] = round(sum(values) / len(values) / SCORE_MAX * 100, 1)
    return out


def _scores(q: Questionnaire, given: dict, *, required: bool, field: str) -> dict[int, int | None]:
    items = {i.pk: i for d in q.dimensions.all() for i in d.items.all()}
    out: dict[int, int | None] = {}
    for key, value in (given or {}).items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            raise DomainError(_("体检项目无效。"), field=field) from None
        if pk not in items:
            raise DomainError(_("体检项目不属于本问卷。"), field=field)
        if value in (None, ""):
            out[pk] = None
            continue
        try:
            n = int(value)
        except (TypeError, ValueError):
            raise DomainError(
                _("评分必须是 %(a)d 到 %(b)d 的整数。") % {"a": SCORE_MIN, "b": SCORE_MAX}, field=field
            ) from None
        if not SCORE_MIN <= n <= SCORE_MAX:
            raise DomainError(_("评分必须是 %(a)d 到 %(b)d 的整数。") % {"a": SCORE_MIN, "b": SCORE_MAX}, field=field)
        out[pk] = n
    if required:
        missing = [items[pk] for pk in items if out.get(pk) is None]
        if missing:
            raise DomainError(
                _("还有 %(n)d 项未评分（如“%(t)s”），请全部评分后再提交。") % {"n": len(missing), "t": missing[0].text},
                field=field,
                code="incomplete",
            )
    return out


def _text(value, *, field: str, label) -> str:
    value = str(value or "").strip()
    if len(value) > TEXT_LIMIT or "\x00" in value:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": TEXT_LIMIT}, field=field)
    return value


def _expect_version(checkup: Checkup, version) -> None:
    if version is None:
        return
    if str(version) != str(checkup.version):
        raise DomainError(_("该体检已在别处修改，请刷新后重试。"), code="stale")


# --- a member's own check-up ----------------------------------------------------------------------------------------


@transaction.atomic
def checkup_save(
    *, actor, member: Member, year: int, scores: dict, summary: str = "", submit: bool = False, version=None
) -> Checkup:
    """Save (and with `submit`, hand in) the member's own check-up of the year. Only the member's own account may."""
    if actor is None or member.user_id != actor.pk or member.left_on is not None:
        raise NotFound
    today = timezone.localdate()
    if year != today.year:
        raise DomainError(_("只能填写本年度（%(y)d 年）的党性体检。") % {"y": today.year}, field="year")
    checkup = Checkup.objects.select_for_update().filter(member=member, year=year).first()
    if checkup is None:
        q = current_questionnaire()
        if q is None:
            raise DomainError(_("党工委尚未发布党性体检问卷。"))
        checkup = Checkup(member=member, org=member.org, year=year, questionnaire=q)
    else:
        _expect_version(checkup, version)
        q = _with_items(Questionnaire.objects.filter(pk=checkup.questionnaire_id)).get()
    if checkup.status != S.DRAFT:
        raise DomainError(_("本年度党性体检已提交，不能再修改。"), code="submitted")
    cleaned = _scores(q, scores, required=submit, field="scores")
    checkup.self_summary = _text(summary, field="summary", label=_("自我剖析"))
    checkup.version += 1
    if submit:
        checkup.status = S.SUBMITTED
        checkup.submitted_at = timezone.now()
        checkup.self_scores = dimension_scores(q, cleaned)
    checkup.save()
    existing = {a.item_id: a for a in checkup.answers.all()}
    new, changed = [], []
    for pk, n in cleaned.items():
        a = existing.get(pk)
        if n is None:
            if a is not None:
                a.delete()
        elif a is None:
            new.append(Answer(checkup=checkup, item_id=pk, self_score=n))
        elif a.self_score != n:
            a.self_score = n
            changed.append(a)
    Answer.objects.bulk_create(new)
    Answer.objects.bulk_update(changed, ["self_score"])
    audit.record(
        actor=actor,
        action="checkup.submit" if submit else "checkup.save",
        obj=checkup,
        org=checkup.org,
        details={"year": year, "answered": sum(1 for n in cleaned.values() if n is not None)},
    )
    return checkup


# --- the branch's review --------------------------------------------------------------------------------------------


@transaction.atomic
def checkup_review(*, actor, checkup: Checkup, scores: dict, comment: str, version=None) -> Checkup:
    """The branch's review of a submitted check-up: optional scores per item and a comment (required)."""
    check_in_scope(actor, checkup.org, REVIEW, ORG_SCOPE)
    checkup = Checkup.objects.select_for_update().get(pk=checkup.pk)
    _expect_version(checkup, version)
    if checkup.member.user_id is not None and checkup.member.user_id == actor.pk:
        raise DomainError(_("不能评议自己的党性体检。"), code="self")
    if checkup.status == S.DRAFT:
        raise DomainError(_("该党员尚未提交本年度党性体检。"), code="draft")
    comment = _text(comment, field="comment", label=_("支部评议意见"))
    if not comment:
        raise DomainError(_("请填写支部评议意见。"), field="comment")
    q = _with_items(Questionnaire.objects.filter(pk=checkup.questionnaire_id)).get()
    cleaned = _scores(q, scores, required=False, field="scores")
    answers = {a.item_id: a for a in checkup.answers.all()}
    for pk, n in cleaned.items():
        if pk in answers:
            answers[pk].review_score = n
    Answer.objects.bulk_update(list(answers.values()), ["review_score"])
    checkup.review_comment = comment
    checkup.review_scores = dimension_scores(q, {pk: a.review_score for pk, a in answers.items()})
    checkup.status = S.REVIEWED
    checkup.reviewed_by = actor
    checkup.reviewed_at = timezone.now()
    checkup.version += 1
    checkup.save()
    audit.record(
        actor=actor,
        action="checkup.review",
        obj=checkup,
        org=checkup.org,
        details={"year": checkup.year, "member": checkup.member_id},
    )
    return checkup
