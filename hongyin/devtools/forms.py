"""Forms as a page renders them: what a browser would post, hidden fields and defaults included.

Tests post these instead of fields typed by hand, so a field the view needs but the template never renders
fails the test as it fails the user."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class RenderedForm:
    action: str
    method: str
    enctype: str = ""
    fields: dict[str, list[str]] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    kinds: dict[str, str] = field(default_factory=dict)  # name -> input type / "select" / "textarea"
    options: dict[str, list[str]] = field(default_factory=dict)
    id: str = ""
    # submit buttons as (name, value, formaction): a browser posts the clicked one's name=value, to its formaction
    submitters: list[tuple[str, str, str]] = field(default_factory=list)

    def data(self, **fill) -> dict[str, list[str] | str]:
        """The post body: rendered values, with `fill` replacing (or adding) values by field name."""
        out: dict[str, list[str] | str] = {k: list(v) for k, v in self.fields.items()}
        out.update(fill)
        return out


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[RenderedForm] = []
        self._form: RenderedForm | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._owned: list[tuple[str, str, dict]] = []  # (form id, tag, attrs) of controls with a form= attribute
        # a <select> or <textarea> with a form= attribute is read into a form of its own, merged at the end
        self._shadow: RenderedForm | None = None
        self._shadows: list[tuple[str, RenderedForm]] = []

    @property
    def _target(self) -> RenderedForm | None:
        return self._shadow if self._shadow is not None else self._form

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = RenderedForm(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
                id=a.get("id", ""),
            )
            self.forms.append(self._form)
            return
        if tag in ("input", "button") and a.get("form"):
            self._owned.append((a["form"], tag, a))  # belongs to the form with that id, wherever it stands
            return
        if tag in ("select", "textarea") and a.get("form"):
            self._shadow = RenderedForm(action="", method="post")
            self._shadows.append((a["form"], self._shadow))
        self._control(self._target, tag, a)

    def _control(self, f, tag, a):
        if f is not None and (tag == "button" or (tag == "input" and a.get("type", "").lower() in ("submit", "image"))):
            if a.get("type", "submit").lower() in ("submit", "image"):
                f.submitters.append((a.get("name", ""), a.get("value", ""), a.get("formaction", "")))
            return
        if f is None or ("name" not in a and tag in ("input", "select", "textarea")):
            return
        name = a.get("name", "")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            f.kinds[name] = kind
            if "required" in a:
                f.required.add(name)
            if kind in ("checkbox", "radio"):
                f.fields.setdefault(name, [])
                f.options.setdefault(name, []).append(a.get("value", "on"))
                if "checked" in a:
                    f.fields[name].append(a.get("value", "on"))
            elif kind != "file":
                f.fields.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            f.kinds[name] = "select"
            f.options[name] = []
            f.fields.setdefault(name, [])
            if "required" in a:
                f.required.add(name)
            self._select, self._select_first, self._select_chosen = name, None, False
            self._multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            f.options[self._select].append(value)
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                f.fields[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea":
            f.kinds[name] = "textarea"
            if "required" in a:
                f.required.add(name)
            self._textarea = name
            f.fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and not self._multiple and self._select_first is not None:
                self._target.fields[self._select].append(self._select_first)  # a browser sends the first option
            self._select = self._shadow = None
        elif tag == "textarea":
            self._textarea = self._shadow = None

    def handle_data(self, data):
        if self._textarea is not None and self._target is not None:
            values = self._target.fields[self._textarea]
            if not values[0] and data.startswith("\n"):
                data = data[1:]  # a browser drops the newline right after <textarea> (Django renders one)
            values[0] += data


def rendered_forms(html: str) -> list[RenderedForm]:
    parser = _Parser()
    parser.feed(html)
    by_id = {f.id: f for f in parser.forms if f.id}
    for form_id, tag, attrs in parser._owned:
        if form_id in by_id:
            parser._control(by_id[form_id], tag, attrs)
    for form_id, shadow in parser._shadows:
        if form_id in by_id:
            form = by_id[form_id]
            for name, values in shadow.fields.items():
                form.fields.setdefault(name, []).extend(values)
            form.kinds.update(shadow.kinds)
            form.options.update(shadow.options)
            form.required |= shadow.required
    return parser.forms


def rendered_form(html: str, action: str) -> RenderedForm:
    """The one form whose action ends with `action`."""
    found = [f for f in rendered_forms(html) if f.action.endswith(action)]
    if len(found) != 1:
        raise LookupError(f"{len(found)} forms with action ending {action!r}")
    return found[0]
