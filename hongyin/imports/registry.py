"""The import kinds (ARCHITECTURE.md: one pipeline — kind registry, dry run, confirm, commit).

An app declares each kind it imports in its `import_kinds` module (found here, nothing to wire):

    from hongyin.imports.registry import ImportKind, Target, register

    register(ImportKind(
        key="members", group="party", title=_("党员名册"), spec=MemberImport, perm="members.manage",
        target=Target(label=_("导入到党支部"), options=..., resolve=..., default=...),
    ))

`spec` is an hongyin.common.excel.ImportSpec class: its columns, row rules (clean_row), whole-file checks
(check_all) and commit function (commit, inside the one transaction the pipeline opens). It is built with
`spec(actor=..., target=...)` when the kind has a target, else `spec(actor=...)`. `perm` is what the uploader
needs; the target's `resolve(user, pk)` returns the chosen object only inside the user's scope (else None).
`group` is the upload page that offers the kind (the party roster page, the enterprise page).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Target:
    """Where rows without their own column for it go (a branch secretary's roster has no branch column)."""

    label: Any
    options: Callable[[Any], list[tuple[int, str]]]  # user -> [(pk, label)] inside the user's scope
    resolve: Callable[[Any, int], Any]  # (user, pk) -> the object, or None outside the user's scope
    default: Callable[[Any], int | None] = field(default=lambda user: None)  # user -> preselected pk
    help: Any = ""


@dataclass(frozen=True)
class ImportKind:
    key: str
    group: str
    title: Any
    spec: Callable
    perm: str
    target: Target | None = None
    columns_hint: Any = ""  # the columns, in a sentence, on the upload page
    notes: tuple = ()  # the template's instructions sheet
    preview_first: bool = True  # False: the upload commits at once (all or nothing) without a confirm step
    done_url: str = ""  # URL name of the page that lists what was imported
    job_kind: str = ""  # the hongyin.jobs kind its runs are (default "<key>.import")
    order: int = 100  # place on its upload page (the first is preselected)

    @property
    def job(self) -> str:
        return self.job_kind or f"{self.key}.import"

    def build_spec(self, *, actor, target=None):
        if self.target is not None:
            return self.spec(actor=actor, target=target)
        return self.spec(actor=actor)


@dataclass(frozen=True)
class ImportGroup:
    """An upload page offering some kinds (its URL lives in the app that owns it)."""

    key: str
    title: Any
    upload_url: str  # URL name of the upload page
    template_url: str = ""  # URL name of the template download (?kind=<key>)
    back_url: str = ""  # URL name of the list the page belongs to
    back_label: Any = ""
    chooser: str = "radio"  # how the page offers the kinds: "radio" (with their columns) or "select"
    intro: tuple = ()


KINDS: dict[str, ImportKind] = {}
GROUPS: dict[str, ImportGroup] = {}


def register_group(group: ImportGroup) -> ImportGroup:
    GROUPS[group.key] = group
    return group


def register(kind: ImportKind) -> ImportKind:
    from hongyin.common.permissions import roles_with

    roles_with(kind.perm)  # fail at start-up on an unknown permission code
    KINDS[kind.key] = kind
    from .jobs import register_runner

    register_runner(kind.job)
    return kind


def get_kind(key: str) -> ImportKind | None:
    return KINDS.get(key or "")


def kinds_in(group: str, user=None) -> list[ImportKind]:
    found = [k for k in KINDS.values() if k.group == group and (user is None or user.has_role_perm(k.perm))]
    return sorted(found, key=lambda k: k.order)


def job_kinds() -> set[str]:
    """Every hongyin.jobs kind an import runs as (with the one older roster runs used for organizations too)."""
    return {k.job for k in KINDS.values()}


def kind_of_job(job) -> ImportKind | None:
    """The import kind of a job: its parameters name it (older roster jobs ran organizations as members.import)."""
    key = (job.params or {}).get("kind")
    kind = KINDS.get(key) if key else None
    if kind is not None and (kind.job == job.kind or job.kind == "members.import"):
        return kind
    return next((k for k in KINDS.values() if k.job == job.kind), None)
