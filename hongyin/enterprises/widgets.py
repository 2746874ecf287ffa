"""A searchable enterprise picker: the select holds only the chosen enterprise; typing fetches matches (htmx).

A zone has 20,000 enterprises, so a plain select would send them all with every form.
"""

from django import forms
from django.urls import reverse

from hongyin.common.posted import is_id


class EnterprisePicker(forms.Select):
    template_name = "enterprises/widgets/enterprise_picker.html"
    pick_for = "enterprises.view"  # the permission whose scope the matches come from

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if is_id(v)]  # a posted value that is no id is not looked up
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None or not chosen:
            return [(None, [self.create_option(name, "", "—", False, 0, attrs=attrs)], 0)]
        try:
            rows = list(queryset.filter(pk__in=chosen).values_list("pk", "name"))
        except (ValueError, TypeError):
            rows = []
        options = [self.create_option(name, pk, label, True, i, attrs=attrs) for i, (pk, label) in enumerate(rows)]
        return [(None, options or [self.create_option(name, "", "—", False, 0, attrs=attrs)], 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = reverse("enterprises:pick") + "?for=" + self.pick_for
        return context
