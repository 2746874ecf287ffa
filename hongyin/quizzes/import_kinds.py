"""The question import kind and its upload page on the bank (the manifest names this module)."""

from django.utils.translation import gettext_lazy as _

from hongyin.imports.registry import ImportGroup, ImportKind, register, register_group

from .imports import QuestionImport

register_group(
    ImportGroup(
        key="quizzes",
        title=_("导入试题"),
        upload_url="quizzes:import",
        template_url="quizzes:import_template",
        back_url="quizzes:bank",
        back_label=_("题库"),
        intro=(_("先下载模板，按模板填写后上传。系统先检查每一行并给出预览和错误，确认后才写入题库。"),),
    )
)

register(
    ImportKind(
        key="quiz_questions",
        group="quizzes",
        title=_("试题"),
        spec=QuestionImport,
        perm="quizzes.bank",
        columns_hint=_("题型、题干、选项A-F、答案、解析、标签、难度"),
        notes=(
            _("题型：单选题、多选题、判断题、简答题。"),
            _("答案：选择题填写选项字母（如 A 或 ABD）；判断题填写“对”或“错”；简答题填写参考答案。"),
            _("难度：容易、中等、较难（不填为中等）。多个标签用逗号分隔。"),
        ),
        done_url="quizzes:bank",
    )
)
