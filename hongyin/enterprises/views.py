import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm

from . import extensions, industry, selectors, services
from .models import ChainNode, IncubationBase, ListedBoard, PlatformKind, Segment, SizeClass, Tag
from .permissions import (
    chains_visible_to,
    enterprises_visible_to,
    get_building_for_user_or_404,
    get_chain_for_user_or_404,
    get_enterprise_for_user_or_404,
)
from .selectors import search_q

TABS = [
    ("profile", gettext_lazy("基本信息")),
    ("party", gettext_lazy("党建工作")),
    ("people", gettext_lazy("人员")),
    ("chain", gettext_lazy("产业链位置")),
    ("history", gettext_lazy("历史")),
]


def buildings_for_filter(user):
    from .permissions import buildings_visible_to

    if user.has_role_perm("buildings.view"):
        return buildings_visible_to(user).only("id", "name").order_by("name")
    return []


def _options(pairs, selected) -> str:
    """<option>s for a filter <select>, rendered once in Python (hundreds of industries, buildings and nodes)."""
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if str(value) == selected else "", label) for value, label in pairs),
    )


def _filter_context(request, form):
    value = (lambda name: form[name].value()) if form is not None else (lambda name: None)
    nodes = ChainNode.objects.select_related("chain").order_by("chain_id", "path")
    return {
        "form": form,
        "sizes": SizeClass.choices,
        "party_choices": selectors.PartyStatus.choices,
        "industry_options": _options(industry.choices(), value("industry")),
        "tag_options": _options(
            ((t, t) for t in Tag.objects.order_by("id").values_list("name", flat=True)), value("tag")
        ),
        "building_options": _options(((b.pk, b.name) for b in buildings_for_filter(request.user)), value("building")),
        "node_options": _options(
            ((n.pk, f"{n.chain.name} · {'— ' if n.depth > 1 else ''}{n.name}") for n in nodes), value("node")
        ),
        "query": request.GET.urlencode(),
    }


@require_perm("enterprises.view")
def enterprise_list(request: HttpRequest) -> HttpResponse:
    form = selectors.EnterpriseFilterForm(request.GET or None)
    qs = selectors.enterprise_list(user=request.user, form=form)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        **_filter_context(request, form),
        "can_manage": request.user.has_role_perm("enterprises.manage"),
        "can_export": request.user.has_role_perm("enterprises.export"),
        "can_import": request.user.has_role_perm("enterprises.import"),
    }
    template = "enterprises/list.html#rows" if request.htmx else "enterprises/list.html"
    return render(request, template, context)


@require_perm("enterprises.view")
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = get_enterprise_for_user_or_404(request.user, pk)
    enterprise = (
        type(enterprise)
        .objects.select_related("org", "building", "floor", "unit", "grid_cell")
        .prefetch_related("tags")
        .get(pk=enterprise.pk)
    )
    tab = request.GET.get("tab", "profile")
    if tab not in dict(TABS):
        tab = "profile"
    context = {
        "e": enterprise,
        "tab": tab,
        "tabs": TABS,
        "facts": selectors.enterprise_facts(enterprise),
        "industry": industry.label(enterprise.industry_code) if enterprise.industry_code else "",
        # the manage forms show only where a write would be allowed: the role's manage scope, not only its view scope
        "can_manage": request.user.has_role_perm("enterprises.manage")
        and enterprises_visible_to(request.user, "enterprises.manage").filter(pk=enterprise.pk).exists(),
    }
    if tab == "profile":
        context["incubations"] = enterprise.incubations.select_related("base").order_by("entered_on")
        if context["can_manage"]:
            context["bases"] = IncubationBase.objects.order_by("id")
        context["leases"] = enterprise.leases.select_related("unit__floor__building").order_by("-start_on")
    elif tab == "chain":
        context["positions"] = selectors.enterprise_chain_positions(enterprise)
    elif tab == "history":
        context["events"] = selectors.enterprise_history(enterprise, viewer=request.user)
    # the apps above add theirs: the people tab's members (members), the profile tab's grid cells (grid)
    context.update(extensions.page_tab_context(request, enterprise, tab))
    template = "enterprises/detail.html#tab" if request.htmx else "enterprises/detail.html"
    return render(request, template, context)


class EnterpriseForm(forms.Form):
    uscc = forms.CharField(label=gettext_lazy("统一社会信用代码"), max_length=30)
    name = forms.CharField(label=gettext_lazy("企业名称"), max_length=200)
    legal_representative = forms.CharField(label=gettext_lazy("法定代表人"), max_length=40, required=False)
    registered_capital = forms.DecimalField(
        label=gettext_lazy("注册资本（万元）"), required=False, min_value=0, max_digits=14, decimal_places=2
    )
    founded_on = forms.DateField(
        label=gettext_lazy("成立日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    industry_code = forms.ChoiceField(label=gettext_lazy("国民经济行业分类"), required=False)
    size_class = forms.ChoiceField(
        label=gettext_lazy("企业规模"), required=False, choices=[("", "—"), *SizeClass.choices]
    )
    employees = forms.IntegerField(label=gettext_lazy("从业人数"), required=False, min_value=0)
    listed_board = forms.ChoiceField(
        label=gettext_lazy("上市板块"), required=False, choices=[("", "—"), *ListedBoard.choices]
    )
    tags = forms.CharField(label=gettext_lazy("标签（逗号分隔）"), required=False, max_length=300)
    address = forms.CharField(label=gettext_lazy("地址"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["industry_code"].choices = [("", "—"), *industry.choices()]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def _form_fields(data: dict) -> dict:
    fields = {
        k: data[k]
        for k in (
            "legal_representative",
            "registered_capital",
            "founded_on",
            "industry_code",
            "size_class",
            "listed_board",
            "address",
        )
    }
    fields["employees"] = data.get("employees") or 0
    return fields


@require_perm("enterprises.manage")
def enterprise_create(request: HttpRequest) -> HttpResponse:
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tags = [t for t in data["tags"].replace("，", ",").split(",") if t.strip()]
        try:
            e = services.enterprise_create(
                actor=request.user, uscc=data["uscc"], name=data["name"], tags=tags, **_form_fields(data)
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("企业已登记。"))
            return redirect("enterprises:detail", pk=e.pk)
    return render(
        request, "enterprises/form.html", {"form": form, "title": _("登记企业")}, status=422 if form.errors else 200
    )


@require_perm("enterprises.manage")
def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    e = get_enterprise_for_user_or_404(request.user, pk, "enterprises.manage")
    initial = {
        f: getattr(e, f)
        for f in (
            "uscc",
            "name",
            "legal_representative",
            "registered_capital",
            "founded_on",
            "industry_code",
            "size_class",
            "employees",
            "listed_board",
            "address",
        )
    }
    initial["tags"] = ", ".join(e.tags.values_list("name", flat=True))
    form = EnterpriseForm(request.POST or None, initial=initial)
    form.fields["uscc"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tags = [t for t in data["tags"].replace("，", ",").split(",") if t.strip()]
        try:
            services.enterprise_update(
                actor=request.user, enterprise=e, name=data["name"], tags=tags, **_form_fields(data)
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("已保存。"))
            return redirect("enterprises:detail", pk=e.pk)
    return render(request, "enterprises/form.html", {"form": form, "title": e.name}, status=422 if form.errors else 200)


@require_perm("enterprises.view")
def industry_picker(request: HttpRequest) -> HttpResponse:
    """The GB/T 4754 picker: a searchable list (htmx) of divisions and groups."""
    items = industry.search(request.GET.get("q", ""))
    return render(request, "enterprises/industry_picker.html", {"items": items, "q": request.GET.get("q", "")})


@require_perm("enterprises.export")
def enterprise_export(request: HttpRequest) -> HttpResponse:
    from .exports import export_enterprises

    form = selectors.EnterpriseFilterForm(request.GET or None)
    path, name = export_enterprises(actor=request.user, form=form)
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)


# --- buildings --------------------------------------------------------------------------------------------------


@require_perm("buildings.view")
def building_list(request: HttpRequest) -> HttpResponse:
    buildings = list(selectors.buildings_with_figures(request.user))
    tier = request.GET.get("tier", "")
    groups: dict[str, list] = {}
    for b in buildings:
        b.tier_key, b.tier_label = selectors.tier_of(b.annual_tax)
        b.vacancy = selectors.vacancy_rate(b)
        groups.setdefault(b.tier_key, []).append(b)
    if tier:
        buildings = [b for b in buildings if b.tier_key == tier]
    tiers = [(key, str(label), len(groups.get(key, []))) for _v, key, label in selectors.TIERS]
    return render(request, "enterprises/building_list.html", {"buildings": buildings, "tiers": tiers, "tier": tier})


@require_perm("buildings.view")
def building_detail(request: HttpRequest, pk: int) -> HttpResponse:
    get_building_for_user_or_404(request.user, pk)
    building = selectors.buildings_with_figures(request.user).get(pk=pk)
    building.tier_key, building.tier_label = selectors.tier_of(building.annual_tax)
    building.vacancy = selectors.vacancy_rate(building)
    trend = selectors.building_trend(building)
    months = [f"{f.month:%Y-%m}" for f in trend]
    tax_option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [_("纳税额（万元）"), _("产值（万元）")]},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value"},
        "series": [
            {"name": _("纳税额（万元）"), "type": "line", "data": [round(float(f.tax_paid) / 1e4, 1) for f in trend]},
            {"name": _("产值（万元）"), "type": "bar", "data": [round(float(f.output_value) / 1e4, 1) for f in trend]},
        ],
    }
    employees_option = {
        "tooltip": {"trigger": "axis"},
        "xAxis": {"type": "category", "data": months},
        "yAxis": {"type": "value"},
        "series": [{"name": _("从业人员"), "type": "line", "data": [f.employees for f in trend]}],
    }
    return render(
        request,
        "enterprises/building_detail.html",
        {
            "b": building,
            "floors": selectors.building_floor_table(building),
            "trend": trend,
            "can_manage": request.user.has_role_perm("buildings.manage"),
            "tax_option": json.dumps(tax_option, ensure_ascii=False),
            "employees_option": json.dumps(employees_option, ensure_ascii=False),
        },
    )


# --- chains -----------------------------------------------------------------------------------------------------


@require_perm("chains.view")
def chain_list(request: HttpRequest) -> HttpResponse:
    chains = list(chains_visible_to(request.user))
    if len(chains) == 1:
        return redirect("enterprises:chain_detail", pk=chains[0].pk)
    return render(request, "enterprises/chain_list.html", {"chains": chains})


@require_perm("chains.view")
def chain_detail(request: HttpRequest, pk: int) -> HttpResponse:
    chain = get_chain_for_user_or_404(request.user, pk)
    data = selectors.chain_map(chain)
    option = selectors.chain_tree_option(chain, data["nodes"])
    platforms = chain.platforms.select_related("node", "enterprise").order_by("kind", "id")
    return render(
        request,
        "enterprises/chain_detail.html",
        {
            "chain": chain,
            **data,
            "option": json.dumps(option, ensure_ascii=False),
            "platforms": platforms,
            "can_manage": chains_visible_to(request.user, "chains.manage").filter(pk=chain.pk).exists()
            if request.user.has_role_perm("chains.manage")
            else False,
            "segments": Segment.choices,
            "platform_kinds": PlatformKind.choices,
            "enterprises_url": reverse("enterprises:list"),
        },
    )


# --- imports (on the one pipeline: hongyin.imports; the kinds are in import_kinds.py) ---------------------------


@require_perm("enterprises.import")
def import_start(request: HttpRequest) -> HttpResponse:
    from hongyin.imports import views as import_views

    return import_views.upload(request, "enterprises")


@require_perm("enterprises.import")
def import_template(request: HttpRequest) -> HttpResponse:
    from hongyin.imports import views as import_views

    return import_views.template(request, "enterprises")


PICK_PERMS = frozenset({"enterprises.view", "appeals.submit", "visits.manage"})


@require_perm("enterprises.view")
def enterprise_pick(request: HttpRequest) -> HttpResponse:
    """Options for the enterprise picker widget: matches inside the scope of the form's permission."""
    perm = request.GET.get("for", "enterprises.view")
    if perm not in PICK_PERMS or not request.user.has_role_perm(perm):
        raise PermissionDenied
    field = next((k for k in request.GET if k.endswith("__q")), None)
    q = (request.GET.get(field or "q") or "").strip()[:50]
    found = enterprises_visible_to(request.user, perm).filter(search_q(q)).order_by("name")[:30] if q else []
    return render(request, "enterprises/widgets/pick_options.html", {"enterprises": found, "q": q})
