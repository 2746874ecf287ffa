from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hongyin.common.permissions import require_perm

from .permissions import get_org_for_user_or_404
from .selectors import children_for, tree_roots_for


@require_perm("orgs.view")
def tree(request: HttpRequest) -> HttpResponse:
    return render(request, "orgs/tree.html", {"nodes": tree_roots_for(request.user)})


@require_perm("orgs.view")
def children(request: HttpRequest, pk: int) -> HttpResponse:
    parent = get_org_for_user_or_404(request.user, pk)
    return render(request, "orgs/tree.html#children", {"nodes": children_for(request.user, parent)})
