"""Quizzes (知识测试): the question bank, papers drawn from it, timed attempts and their answers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("单选题")
    MULTIPLE = "multiple", _("多选题")
    JUDGE = "judge", _("判断题")
    SHORT = "short", _("简答题")


OBJECTIVE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.JUDGE})
CHOICE_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE})


class Difficulty(models.IntegerChoices):
    EASY = 1, _("容易")
    MEDIUM = 2, _("中等")
    HARD = 3, _("较难")


class Question(TimeStampedModel):
    """One question of the zone's bank. Choice questions keep their options as a list and the answer as the
    indices of the right ones; a true/false question's answer is [1] (true) or [0] (false); a short answer keeps
    a reference answer in `reference` for the secretary who grades it."""

    kind = models.CharField(_("题型"), max_length=10, choices=QuestionKind.choices, db_index=True)
    stem = models.TextField(_("题干"))
    options = models.JSONField(_("选项"), default=list, blank=True)
    answer = models.JSONField(_("答案"), default=list, blank=True)
    reference = models.TextField(_("参考答案"), blank=True)
    explanation = models.TextField(_("解析"), blank=True)
    # tags as ",党章,条例," so one tag is found with `icontains=",党章,"`
    tags = models.CharField(_("标签"), max_length=300, blank=True)
    difficulty = models.PositiveSmallIntegerField(_("难度"), choices=Difficulty.choices, default=Difficulty.MEDIUM)
    active = models.BooleanField(_("启用"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("试题")
        verbose_name_plural = _("试题")
        indexes = [models.Index(fields=["kind", "difficulty"], name="quiz_question_kind_diff")]

    def __str__(self) -> str:
        return self.stem[:40]

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split(",") if t]

    @property
    def lettered(self) -> list[tuple[int, str, str]]:
        """(index, letter, text) of each option."""
        return [(i, chr(65 + i), text) for i, text in enumerate(self.options)]

    def answer_display(self) -> str:
        if self.kind == QuestionKind.JUDGE:
            return str(_("正确")) if self.answer == [1] else str(_("错误"))
        if self.kind in CHOICE_KINDS:
            return "".join(chr(65 + i) for i in self.answer)
        return self.reference


class Paper(TimeStampedModel):
    """A paper (试卷): its questions (drawn from the bank by rule or chosen by hand), the time limit, the pass
    mark, the attempts each member has, the open period and the organizations whose members take it."""

    title = models.CharField(_("试卷名称"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="quiz_papers", verbose_name=_("发布组织")
    )
    targets = models.ManyToManyField("orgs.Organization", related_name="+", verbose_name=_("参加组织"))
    time_limit = models.PositiveIntegerField(_("答题时限（分钟）"), default=30)
    pass_mark = models.PositiveIntegerField(_("及格分"), default=60)
    total = models.PositiveIntegerField(_("总分"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("允许答题次数"), default=1)
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    rules = models.JSONField(_("抽题规则"), default=list, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("试卷")
        verbose_name_plural = _("试卷")
        ordering = ["-opens_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class PaperQuestion(models.Model):
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("题号"))
    points = models.PositiveSmallIntegerField(_("分值"), default=5)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "question"], name="quiz_paper_question_once")]

    def __str__(self) -> str:
        return f"{self.paper_id}-{self.position}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("答题中")
    SUBMITTED = "submitted", _("待阅卷")
    GRADED = "graded", _("已评分")


class Attempt(models.Model):
    """One attempt of a member at a paper. The server holds the deadline; an answer sheet after it is refused."""

    paper = models.ForeignKey(Paper, on_delete=models.PROTECT, related_name="attempts")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField(_("第几次"))
    status = models.CharField(
        _("状态"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS, db_index=True
    )
    started_at = models.DateTimeField(_("开始时间"))
    deadline = models.DateTimeField(_("交卷截止"))
    submitted_at = models.DateTimeField(_("交卷时间"), null=True, blank=True)
    score = models.PositiveIntegerField(_("得分"), null=True, blank=True)
    passed = models.BooleanField(_("及格"), null=True, blank=True)
    graded_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答题记录")
        verbose_name_plural = _("答题记录")
        constraints = [models.UniqueConstraint(fields=["paper", "member", "number"], name="quiz_attempt_number")]
        indexes = [models.Index(fields=["paper", "member"], name="quiz_attempt_paper_member")]

    def __str__(self) -> str:
        return f"{self.paper} #{self.number}"


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(PaperQuestion, on_delete=models.PROTECT, related_name="+")
    choice = models.JSONField(_("所选"), default=list, blank=True)
    text = models.TextField(_("作答"), blank=True)
    correct = models.BooleanField(_("正确"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("得分"), null=True, blank=True)
    comment = models.CharField(_("评语"), max_length=300, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        ordering = ["item__position"]
        constraints = [models.UniqueConstraint(fields=["attempt", "item"], name="quiz_answer_once")]

    def __str__(self) -> str:
        return f"{self.attempt_id}-{self.item_id}"

    def choice_display(self) -> str:
        kind = self.item.question.kind
        if kind == QuestionKind.JUDGE:
            return "" if not self.choice else (str(_("正确")) if self.choice == [1] else str(_("错误")))
        return "".join(chr(65 + i) for i in self.choice)
