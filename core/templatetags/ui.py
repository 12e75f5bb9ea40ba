"""Small template helpers shared by every list and form page."""

from django import forms, template
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core import panel_cache, rowhtml

register = template.Library()


@register.simple_tag
def row_url(name, pk):
    """``{% url name pk %}`` for the rows of a list, reversed once per URL name (``core.rowhtml.row_url``)."""
    return rowhtml.row_url(name, pk)


@register.simple_tag(takes_context=True)
def sort_link(context, field, label):
    """A column header link that toggles ?sort=field / -field and keeps the other query parameters."""
    request = context["request"]
    query = request.GET.copy()
    current = query.get("sort", "")
    new = f"-{field}" if current == field else field
    query["sort"] = new
    query.pop("page", None)
    arrow = " ▲" if current == field else (" ▼" if current == f"-{field}" else "")
    return format_html('<a href="?{}" class="link-dark text-decoration-none">{}{}</a>', query.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def page_url(context, page):
    query = context["request"].GET.copy()
    query["page"] = page
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def export_url(context):
    query = context["request"].GET.copy()
    query.pop("page", None)
    query["export"] = "xlsx"
    return "?" + query.urlencode()


@register.filter
def add_class(field, css):
    widget = field.field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
        base = "form-check-input" if isinstance(widget, forms.CheckboxInput) else ""
    elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
        base = "form-select"
        if getattr(field.field, "empty_label", None) == "---------":  # a form's empty choice asks, never dashes
            field.field.empty_label = "请选择"
            if not isinstance(field.field, forms.ModelChoiceField):
                widget.choices = field.field.choices
    else:
        base = "form-control"
    classes = f"{base} {css}".strip()
    attrs = {"class": classes}
    if field.errors:  # the message beside the field (err-<name>) is read with it
        attrs.update(
            {"class": classes + " is-invalid", "aria-invalid": "true", "aria-describedby": f"err-{field.name}"}
        )
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field):
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_textarea(field):
    return isinstance(field.field.widget, forms.Textarea)


def field_anchor(field) -> str:
    """The id a link to this field jumps to: the input itself, or the first choice of a radio/checkbox group."""
    widget = field.field.widget
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{field.auto_id}_0" if field.auto_id else ""
    return field.id_for_label or field.auto_id or ""


@register.simple_tag
def error_items(form):
    """What the error summary lists: each message with its field's label and the id to link to (non-field errors
    and errors of hidden fields without a link), in the order of the form."""
    if form is None or not getattr(form, "is_bound", False) or not form.errors:
        return []
    items = [{"anchor": "", "label": "", "message": e} for e in form.non_field_errors()]
    for field in form:
        for e in field.errors:
            if field.is_hidden:
                items.append({"anchor": "", "label": "", "message": e})
            else:
                items.append({"anchor": field_anchor(field), "label": field.label, "message": e})
    return items


@register.filter
def file_lost(field) -> bool:
    """A file chosen for this input was posted with a form that came back with errors: the browser does not keep
    it, so the page says so beside the input."""
    form = field.form
    if not form.is_bound or not form.errors or not isinstance(field.field, forms.FileField):
        return False
    return (
        bool(form.files.getlist(field.html_name))
        if hasattr(form.files, "getlist")
        else bool(form.files.get(field.html_name))
    )


def _choice_label(field, value):
    if isinstance(field, forms.ModelChoiceField):  # one row, not the whole choice list (pickers search thousands)
        try:
            chosen = field.queryset.filter(**{field.to_field_name or "pk": value}).first()
        except (ValueError, TypeError, ValidationError):
            chosen = None
        return str(chosen) if chosen is not None else value
    for choice, label in getattr(field, "choices", ()) or ():
        if isinstance(label, (list, tuple)):  # an optgroup
            for sub_choice, sub_label in label:
                if str(getattr(sub_choice, "value", sub_choice)) == value:
                    return str(sub_label)
        elif str(getattr(choice, "value", choice)) == value:
            return str(label)
    return value


@register.simple_tag(takes_context=True)
def filter_chips(context, form):
    """The active filters of a GET filter form as chips: label, the value as the user chose it (a choice's
    label, not its id) and the URL without that filter (the other filters, the sort order kept; back to page 1)."""
    request = context.get("request")
    if form is None or request is None:
        return []
    chips = []
    for name, field in form.fields.items():
        if isinstance(field.widget, forms.HiddenInput):
            continue
        values = [v for v in request.GET.getlist(name) if v.strip()]
        if isinstance(field.widget, forms.CheckboxInput):
            values = [v for v in values if v.lower() not in ("", "0", "false", "off")]
        for value in values:
            query = request.GET.copy()
            query.setlist(name, [v for v in request.GET.getlist(name) if v != value])
            query.pop("page", None)
            shown = "是" if isinstance(field.widget, forms.CheckboxInput) else _choice_label(field, value)
            chips.append({"label": field.label or name, "value": shown, "remove_url": "?" + query.urlencode()})
    return chips


@register.simple_tag(takes_context=True)
def query_chips(context, spec, **choices):
    """Chips for a hand-written GET filter form: spec "param:label,param:label", choices per param
    (e.g. ``{% query_chips "kind:事件,username:登录名" kind=kinds as chips %}``)."""
    request = context.get("request")
    if request is None:
        return []
    chips = []
    for part in spec.split(","):
        name, label = part.split(":", 1)
        for value in [v for v in request.GET.getlist(name) if v.strip()]:
            query = request.GET.copy()
            query.setlist(name, [v for v in request.GET.getlist(name) if v != value])
            query.pop("page", None)
            shown = dict((str(k), str(v)) for k, v in choices.get(name, ())).get(value, value)
            chips.append({"label": label, "value": shown, "remove_url": "?" + query.urlencode()})
    return chips


@register.simple_tag(takes_context=True)
def panel_card(context, panel):
    """A 驾驶舱 panel's card, as ``{% include panel.template %}`` with ``ctx`` would write it in the page's context;
    the card of a kept value is kept beside it (``core.panel_cache.panel_html``)."""

    def render():
        card = context.template.engine.get_template(panel["template"])
        with context.push(ctx=panel["ctx"]):
            return card.render(context)

    return mark_safe(panel_cache.panel_html(panel["served"], panel["template"], render))  # noqa: S308 - a rendered template
