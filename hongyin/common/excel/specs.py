"""What an import declares: its columns (`Column`), its hooks (`ImportSpec`), and what a run reports."""

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .values import choice_key, halfwidth, norm_header, parse_bool, parse_date


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text | date | bool | choice
    choices: dict | None = None  # normalized label -> value
    options: tuple[str, ...] = ()  # the labels shown in messages and in the template's drop-down
    max_length: int = 200
    example: str = ""

    def header_keys(self) -> set[str]:
        return {norm_header(self.label), norm_header(self.key), *(norm_header(a) for a in self.aliases)}

    def parse(self, raw):
        if self.kind == "date":
            return parse_date(raw)
        if self.kind == "bool":
            return parse_bool(raw)
        text = halfwidth(raw)
        if self.kind == "choice":
            if text == "":
                return ""
            key = choice_key(text)
            if key in self.choices:
                return self.choices[key]
            options = "、".join(self.options)
            raise ValueError(_("应为以下之一：%(o)s") % {"o": options})
        if len(text) > self.max_length:
            raise ValueError(_("内容过长（不超过 %(n)s 个字）") % {"n": self.max_length})
        return text


def choice_options(choices) -> tuple[str, ...]:
    return tuple(str(label) for _value, label in choices.choices)


def choice_map(choices, extra: dict | None = None) -> dict:
    """A Django TextChoices class -> {normalized label or value: value}, plus extra spellings."""
    mapping = {}
    for value, label in choices.choices:
        mapping[norm_header(str(label))] = value
        mapping[norm_header(value)] = value
    for spelling, value in (extra or {}).items():
        mapping[norm_header(spelling)] = value
    return mapping


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    valid: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    preview: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = True

    unique_keys: list = field(default_factory=list, repr=False)  # (key, excel row) of every data row

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.total > 0


class ImportSpec(ABC):
    """What an app supplies. `clean_row` raises DomainError(field=<column key>) for a bad row; `check_all` returns
    RowErrors found across rows (duplicates, database conflicts); `commit` writes everything (inside one
    transaction opened by the engine) and returns how many objects it created."""

    title = ""
    columns: tuple[Column, ...] = ()
    preview_fields: tuple[str, ...] = ()
    # clean_row uses only what __init__ loaded (no queries): big files are validated in two processes
    parallel_validation = False
    # a column whose values must differ from row to row: every repeat is reported against the row it repeats,
    # whether or not either row is otherwise valid (check_all sees only the valid rows)
    unique_column: str | None = None

    def unique_key(self, raw) -> str:
        """The comparable form of a unique_column cell ("" for an empty cell, never reported)."""
        return halfwidth(raw).replace(" ", "").upper()

    def unique_shown(self, key: str) -> str:
        """How a repeated value is shown in the report (an app masks personal numbers here)."""
        return key

    def __init__(self, *, actor):
        self.actor = actor

    def clean_row(self, values: dict, row: int):
        return values

    def check_all(self, cleaned: list[tuple[int, object]]) -> list[RowError]:
        return []

    @abstractmethod
    def commit(self, cleaned: list[tuple[int, object]], progress: Callable | None) -> int:
        """Write every cleaned row in one transaction; return the number written."""

    def preview_row(self, obj) -> dict:
        return {k: obj.get(k, "") for k in self.preview_fields} if isinstance(obj, dict) else {"": str(obj)}

    def label_of(self, key: str | None) -> str:
        for column in self.columns:
            if column.key == key:
                return column.label
        return key or ""
