"""Writes on members. Every function: keyword-only, atomic, scope-checked, validated, audited, kept in history.

Other apps (development, transfers, dues) call these; they never write Member rows themselves. One module per
sub-domain (records, membership, bulk); the public names are all here.
"""

from .bulk import BULK_BATCH, insert_member_rows, members_bulk_create
from .membership import member_convert, member_leave, member_move, members_follow_merge
from .records import EDITABLE, MANAGE, MEMBERSHIP, PERSONAL, WORKFLOW_OWNED, history_add, member_create, member_update

__all__ = [
    "BULK_BATCH",
    "EDITABLE",
    "MANAGE",
    "MEMBERSHIP",
    "PERSONAL",
    "WORKFLOW_OWNED",
    "history_add",
    "insert_member_rows",
    "member_convert",
    "member_create",
    "member_leave",
    "member_move",
    "member_update",
    "members_bulk_create",
    "members_follow_merge",
]
