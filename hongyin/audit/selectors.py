from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent, AuditResult


class AuditFilterForm(forms.Form):
    since = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("操作"), required=False, max_length=64)
    object = forms.CharField(label=_("对象"), required=False, max_length=64)
    org = forms.CharField(label=_("党组织"), required=False, max_length=60)
    result = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部")), *AuditResult.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            kind = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{kind} {kind}-sm")


def audit_search(form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """Only the audit admin calls this (views require audit.view); it sees the whole log by design."""
    qs = AuditEvent.objects.all().order_by("-id")
    if not form.is_bound or not form.is_valid():
        return qs
    d = form.cleaned_data
    if d["since"]:
        qs = qs.filter(at__date__gte=d["since"])
    if d["until"]:
        qs = qs.filter(at__date__lte=d["until"])
    if d["actor"]:
        qs = qs.filter(actor_name__icontains=d["actor"])
    if d["action"]:
        qs = qs.filter(action__startswith=d["action"])
    if d["object"]:
        term = d["object"]
        qs = qs.filter(Q(object_type__icontains=term) | Q(object_repr__icontains=term) | Q(object_id=term))
    if d["org"]:
        Organization = AuditEvent._meta.get_field("org").related_model  # audit sits below orgs: the model by its FK
        paths = list(Organization.objects.filter(name__icontains=d["org"]).values_list("path", flat=True)[:50])
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(org_path__startswith=path)
        qs = qs.filter(q)
    if d["result"]:
        qs = qs.filter(result=d["result"])
    return qs
