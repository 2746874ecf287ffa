"""The OpenAPI document is trustworthy: no two schema classes share a component name (ninja names components
after the class, so a second `PageOut` silently replaces the first and clients get the wrong shape)."""

import inspect

from ninja import Schema


def test_no_two_response_schemas_share_a_name():
    from hongyin.api.api import api

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
