"""Small template helpers shared by every list and form page."""

from django import forms, template
from django.utils.html import format_html

register = template.Library()


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
