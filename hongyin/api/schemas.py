from ninja import Field, Schema


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


def decimal_field(default=..., *, int_digits: int):
    """A non-negative decimal of at most `int_digits` digits before the point and two after. Pydantic checks it; the
    schema documents it as the decimal string to send (pydantic's own schema, any number or any string, documents
    values the operation refuses)."""
    doc = {
        "type": "string",
        "pattern": rf"^(?:0|[1-9][0-9]{{0,{int_digits - 1}}})(?:\.[0-9]{{1,2}})?$",
        "examples": ["100.00"],
    }

    def document(schema: dict) -> None:
        nullable = any(s.get("type") == "null" for s in schema.pop("anyOf", []))
        schema.pop("type", None)
        if nullable:
            schema["anyOf"] = [doc, {"type": "null"}]
        else:
            schema.update(doc)

    return Field(default, ge=0, max_digits=int_digits + 2, decimal_places=2, json_schema_extra=document)
