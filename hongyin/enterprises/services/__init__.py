"""Writes for enterprises, buildings, leases, chains, platforms and incubation; each one validates, writes and
audits. One module per sub-domain; the public names are all here, so `services.enterprise_create(...)` reads the
same from anywhere."""

from .buildings import building_create, building_figure_set, floor_create, lease_create, unit_create
from .chains import chain_create, chain_enterprise_add, chain_enterprise_remove, chain_node_create
from .incubation import incubation_add, incubation_base_create, incubation_graduate
from .links import chain_enterprise_link, lease_link, link_request_decide, link_requested_message
from .platforms import PLATFORM_EDITABLE, platform_create, platform_delete, platform_update
from .registry import (
    EDITABLE,
    clean_enterprise_row,
    enterprise_create,
    enterprise_update,
    enterprises_bulk_create,
    existing_usccs,
    grid_cell_for_address,
)

__all__ = [
    "EDITABLE",
    "PLATFORM_EDITABLE",
    "building_create",
    "building_figure_set",
    "chain_create",
    "chain_enterprise_add",
    "chain_enterprise_link",
    "chain_enterprise_remove",
    "chain_node_create",
    "clean_enterprise_row",
    "enterprise_create",
    "enterprise_update",
    "enterprises_bulk_create",
    "existing_usccs",
    "floor_create",
    "grid_cell_for_address",
    "incubation_add",
    "incubation_base_create",
    "incubation_graduate",
    "lease_create",
    "lease_link",
    "link_request_decide",
    "link_requested_message",
    "platform_create",
    "platform_delete",
    "platform_update",
    "unit_create",
]
