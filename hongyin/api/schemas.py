from ninja import Schema


class ErrorOut(Schema):
    detail: str


class RoleOut(Schema):
    role: str
    role_label: str
    scope_kind: str
    scope_id: int | None
    scope_label: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[RoleOut]
