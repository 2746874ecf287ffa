"""The 5 stages and 25 steps of member development (中国共产党发展党员工作细则, 2014) and the explicit transitions.

A step may be recorded only while the case is in the step's stage, after the steps it requires; a few steps move
the case to the next stage (`advances_to`; services.DEVELOPMENT_FLOW declares these moves for the workflow engine).
Repeatable steps (6, 21) may be recorded more than once.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    PROBATIONARY = "probationary", _("预备党员")
    FULL = "full", _("正式党员")
    CLOSED = "closed", _("已终止")


STAGE_TITLES = {
    1: _("申请入党"),
    2: _("确定入党积极分子"),
    3: _("确定发展对象"),
    4: _("接收预备党员"),
    5: _("预备党员的教育考察和转正"),
}


@dataclass(frozen=True)
class Step:
    number: int
    code: str
    title: str
    phase: int  # 1-5, the stage group of the regulation
    stage: str  # the case stage in which the step is recorded
    requires: tuple[int, ...] = ()
    advances_to: str | None = None
    repeatable: bool = False
    people: str = ""  # "sponsors" (1-2 full members) / "introducers" (2 full members)


STEPS: tuple[Step, ...] = (
    Step(1, "application", _("递交入党申请书"), 1, Stage.APPLICANT),
    Step(2, "talk", _("党组织派人谈话"), 1, Stage.APPLICANT, requires=(1,)),
    Step(3, "activist_decided", _("推荐和确定入党积极分子"), 2, Stage.APPLICANT, (2,), Stage.ACTIVIST),
    Step(4, "activist_filed", _("上级党委备案"), 2, Stage.ACTIVIST, (3,)),
    Step(5, "sponsors", _("指定培养联系人"), 2, Stage.ACTIVIST, (3,), people="sponsors"),
    Step(6, "activist_review", _("培养教育考察（每半年一次）"), 2, Stage.ACTIVIST, (5,), repeatable=True),
    Step(7, "candidate_decided", _("确定发展对象"), 3, Stage.ACTIVIST, (4, 5, 6), Stage.CANDIDATE),
    Step(8, "candidate_filed", _("报上级党委备案"), 3, Stage.CANDIDATE, (7,)),
    Step(9, "introducers", _("确定入党介绍人"), 3, Stage.CANDIDATE, (7,), people="introducers"),
    Step(10, "political_review", _("进行政治审查"), 3, Stage.CANDIDATE, (7,)),
    Step(11, "training", _("开展集中培训"), 3, Stage.CANDIDATE, (7,)),
    Step(12, "branch_review", _("支部委员会审查"), 4, Stage.CANDIDATE, (8, 9, 10, 11)),
    Step(13, "pre_review", _("上级党委预审"), 4, Stage.CANDIDATE, (12,)),
    Step(14, "application_form", _("填写入党志愿书"), 4, Stage.CANDIDATE, (13,)),
    Step(15, "admission_vote", _("支部大会讨论接收预备党员"), 4, Stage.CANDIDATE, (14,)),
    Step(16, "higher_talk", _("上级党委派人谈话"), 4, Stage.CANDIDATE, (15,)),
    Step(17, "admission_approval", _("上级党委审批"), 4, Stage.CANDIDATE, (16,), Stage.PROBATIONARY),
    Step(18, "admission_filed", _("报上级党委组织部门备案"), 4, Stage.PROBATIONARY, (17,)),
    Step(19, "placed", _("编入党支部和党小组"), 5, Stage.PROBATIONARY, (17,)),
    Step(20, "oath", _("入党宣誓"), 5, Stage.PROBATIONARY, (17,)),
    Step(21, "continued_education", _("继续教育考察"), 5, Stage.PROBATIONARY, (17,), repeatable=True),
    Step(22, "full_application", _("提出转正申请"), 5, Stage.PROBATIONARY, (18, 19, 20)),
    Step(23, "full_vote", _("支部大会讨论转正"), 5, Stage.PROBATIONARY, (22,)),
    Step(24, "full_approval", _("上级党委审批转正"), 5, Stage.PROBATIONARY, (23,), Stage.FULL),
    Step(25, "archived", _("材料归档"), 5, Stage.FULL, (24,)),
)
STEP_BY_NUMBER: dict[int, Step] = {s.number: s for s in STEPS}
STEP_CHOICES = [(s.number, f"{s.number}. {s.title}") for s in STEPS]
assert [s.number for s in STEPS] == list(range(1, 26))
