"""Import of questions from xlsx through the one import pipeline (hongyin.imports): one row a question."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.excel import Column, ImportSpec, choice_map, choice_options

from . import services
from .models import Difficulty, QuestionKind

KIND = choice_map(QuestionKind, {"单选": "single", "多选": "multiple", "判断": "judge", "简答": "short"})
DIFFICULTY = {
    "容易": 1,
    "简单": 1,
    "易": 1,
    "1": 1,
    "中等": 2,
    "中": 2,
    "一般": 2,
    "2": 2,
    "较难": 3,
    "难": 3,
    "困难": 3,
    "3": 3,
}
LETTERS = "ABCDEF"

COLUMNS = (
    Column(
        "kind",
        "题型",
        ("类型",),
        required=True,
        kind="choice",
        choices=KIND,
        options=choice_options(QuestionKind),
        example="单选题",
    ),
    Column("stem", "题干", ("题目", "试题"), required=True, max_length=2000, example="党的最高领导机关是？"),
    *(
        Column(f"option_{c}", f"选项{c}", (c, f"{c}选项"), max_length=300, example=e)
        for c, e in zip(
            LETTERS, ("党的全国代表大会和它所产生的中央委员会", "中央政治局", "中央书记处", "", "", ""), strict=True
        )
    ),
    Column("answer", "答案", ("正确答案", "参考答案"), required=True, max_length=2000, example="A"),
    Column("explanation", "解析", ("答案解析",), max_length=2000, example="《中国共产党章程》第十条。"),
    Column("tags", "标签", ("知识点",), max_length=280, example="党章"),
    Column("difficulty", "难度", (), max_length=10, example="容易"),
)


class QuestionImport(ImportSpec):
    title = gettext_lazy("试题")
    columns = COLUMNS
    preview_fields = ("kind", "stem", "options", "answer", "tags", "difficulty")

    def clean_row(self, values, row):
        kind = values["kind"]
        if not kind:
            raise DomainError(_("请填写题型。"), field="kind")
        diff_raw = str(values.get("difficulty") or "").strip()
        difficulty = DIFFICULTY.get(diff_raw) if diff_raw else Difficulty.MEDIUM
        if difficulty is None:
            raise DomainError(_("难度应为：容易、中等、较难。"), field="difficulty")
        options = [values.get(f"option_{c}", "") or "" for c in LETTERS]
        answer, reference = [], ""
        if kind == QuestionKind.SHORT:
            reference = values["answer"]
        else:
            answer = services.parse_answer(kind, values["answer"])
        data = services.QuestionData(
            kind=kind,
            stem=values["stem"],
            options=options if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
            answer=answer,
            reference=reference,
            explanation=values.get("explanation", ""),
            tags=values.get("tags", ""),
            difficulty=difficulty,
        )
        try:
            return services.check_question(data)
        except DomainError as exc:
            if exc.field == "options":
                raise DomainError(exc.message, field="option_A") from None
            raise

    def commit(self, cleaned, progress):
        return services.questions_import(actor=self.actor, rows=[data for _row, data in cleaned])

    def preview_row(self, data):
        return {
            "kind": str(QuestionKind(data.kind).label),
            "stem": data.stem[:60],
            "options": " / ".join(f"{LETTERS[i]}. {o[:20]}" for i, o in enumerate(data.options)),
            "answer": data.reference[:30]
            if data.kind == QuestionKind.SHORT
            else (
                "".join(LETTERS[i] for i in data.answer)
                if data.kind != QuestionKind.JUDGE
                else ("对" if data.answer == [1] else "错")
            ),
            "tags": "、".join(t for t in data.tags.split(",") if t),
            "difficulty": str(Difficulty(data.difficulty).label),
        }
