"""The OpenAPI document is trustworthy: no two schema classes share a component name (ninja names components
after the class, so a second `PageOut` silently replaces the first and clients get the wrong shape)."""

import inspect

from ninja import Schema


def test_no_two_response_schemas_share_a_name():
    from hongyin.site.api import api

    seen: dict[str, set[str]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                models = [m for m in (op.response_models or {}).values() if m is not None]
                for model in models:
                    for field in getattr(model, "model_fields", {}).values():
                        for cls in _schemas(field.annotation):
                            seen.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    clashes = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert not clashes, f"schema names used by different classes (rename one): {clashes}"


def _schemas(annotation, depth=0):
    if depth > 4 or annotation is None:
        return
    if inspect.isclass(annotation) and issubclass(annotation, Schema):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _schemas(field.annotation, depth + 1)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        yield from _schemas(arg, depth + 1)


def test_no_two_schemas_of_any_operation_share_a_component_name():
    """Bodies, query and form parameters, responses and the models and enums inside them: ninja files each under
    its class name in components, so two classes with one name document one operation with the other's shape (the
    organization move used to show the member move's body)."""
    import enum

    from pydantic import BaseModel

    from hongyin.site.api import api

    seen: dict[str, set[str]] = {}

    def visit(annotation, depth=0):
        if depth > 6 or annotation is None:
            return
        if inspect.isclass(annotation) and issubclass(annotation, (BaseModel, enum.Enum)):
            if annotation.__module__.startswith("hongyin."):
                where = f"{annotation.__module__}.{annotation.__qualname__}"
                if where in seen.setdefault(annotation.__name__, set()):
                    return
                seen[annotation.__name__].add(where)
            if issubclass(annotation, BaseModel):
                for field in annotation.model_fields.values():
                    visit(field.annotation, depth + 1)
            return
        for arg in getattr(annotation, "__args__", ()) or ():
            visit(arg, depth + 1)

    operations = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for op in path_view.operations:
                operations += 1
                for params in op.models:  # ninja's wrappers (PathParams, BodyParams, ...): their fields are ours
                    for field in params.model_fields.values():
                        visit(field.annotation)
                for model in (op.response_models or {}).values():
                    if model is not None:
                        for field in model.model_fields.values():
                            visit(field.annotation)
    components = api.get_openapi_schema(path_prefix="/api/v1")["components"]["schemas"]
    clashes = {name: sorted(where) for name, where in seen.items() if len(where) > 1}
    assert operations > 50 and "OrgMoveIn" in components and "MemberMoveIn" in components
    assert not clashes, f"component names used by different classes (rename one): {clashes}"
