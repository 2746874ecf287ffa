from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    """The kinds the user may run on this page, the file, and where rows without their own column go."""

    kind = forms.ChoiceField(label=_("导入内容"))
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    target = forms.TypedChoiceField(label=_("导入到"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, kinds, target_kind=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = kinds
        self.fields["kind"].choices = [(k.key, k.title) for k in kinds]
        if kinds and not self.is_bound:
            self.fields["kind"].initial = kinds[0].key
        self.target_kind = target_kind
        if target_kind is None:
            del self.fields["target"]
            return
        target = target_kind.target
        self.fields["target"].label = target.label
        self.fields["target"].help_text = target.help
        self.fields["target"].choices = [("", _("按文件中的列")), *target.options(user)]
        if not self.is_bound:
            self.fields["target"].initial = target.default(user)
