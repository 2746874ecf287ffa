"""Writes on the organization tree and its committees. Every operation is scope-checked, audited and kept in the
org's history. One module per sub-domain (tree, committees); the public names are all here."""

from .committees import committee_assign, committee_end, posts_bulk_create, term_start
from .tree import (
    ALLOWED_CHILDREN,
    MANAGE,
    ORG_MERGING,
    org_create,
    org_dissolve,
    org_merge,
    org_move,
    org_update,
    orgs_bulk_update_dates,
)

__all__ = [
    "ALLOWED_CHILDREN",
    "MANAGE",
    "ORG_MERGING",
    "committee_assign",
    "committee_end",
    "org_create",
    "org_dissolve",
    "org_merge",
    "org_move",
    "org_update",
    "orgs_bulk_update_dates",
    "posts_bulk_create",
    "term_start",
]
