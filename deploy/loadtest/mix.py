"""The load test's mix of simulated users: class name -> (weight, role). Read by locustfile.py (the weights) and by
make_sessions.py (whose accounts each class signs in as). Roughly a working day in a zone: many members, fewer
secretaries and enterprise contacts, a handful of handlers, the zone office and some API clients."""

MIX = {
    "Member": (40, "member"),
    "Secretary": (20, "branch_secretary"),
    "EnterpriseContact": (15, "enterprise_contact"),
    "Handler": (10, "dept_handler"),
    "Zone": (10, "zone_admin"),
    "ApiClient": (5, "zone_admin"),
}


def sessions_needed(users: int) -> dict[str, int]:
    """How many sessions each class needs for `users` simulated users (locust splits by weight; a few spare)."""
    total = sum(weight for weight, _role in MIX.values())
    return {name: -(-users * weight // total) + 2 for name, (weight, _role) in MIX.items()}
