from ninja import Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut

from .permissions import get_org_for_user_or_404
from .selectors import children_for, tree_roots_for

router = Router(tags=["orgs"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


class OrgOut(Schema):
    id: int
    name: str
    kind: str
    category: str
    depth: int
    child_count: int


@router.get("/roots", response={200: list[OrgOut], **ERRORS}, summary="Top organizations of the user's scope")
@api_perm("orgs.view")
def roots(request):
    return list(tree_roots_for(request.auth))


@router.get("/{org_id}/children", response={200: list[OrgOut], **ERRORS}, summary="Direct children in scope")
@api_perm("orgs.view")
def children(request, org_id: int):
    return list(children_for(request.auth, get_org_for_user_or_404(request.auth, org_id)))
