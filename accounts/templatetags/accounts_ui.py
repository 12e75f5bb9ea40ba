"""The user management list's rows as a tag."""

from django import template

from accounts.models import User
from core import rowhtml
from core.rowhtml import esc

register = template.Library()

_USER_ROW = ("pk", "username", "name", "role", "is_enterprise_admin", "region__name", "enterprise__name", "is_active")
_UNIT_ADMIN = ' <span class="badge text-bg-info">单位管理员</span>'
_INACTIVE = '<span class="text-danger">停用</span>'


@register.simple_tag
def user_rows(users):
    """The rows of the user list (accounts/user_list.html), written as its old loop wrote them."""
    url = rowhtml.url_for("accounts:user-detail")
    roles = rowhtml.choice_labels(User, "role")

    def row(u):
        role = u["role"]
        return (
            f'<tr><td><a href="{url(u["pk"])}">{esc(u["username"])}</a></td><td>{esc(u["name"])}</td>'
            f"<td>{esc(roles.get(role, role))}{_UNIT_ADMIN if u['is_enterprise_admin'] else ''}</td>"
            f"<td>{esc(u['region__name'] or '—')}</td><td>{esc(u['enterprise__name'] or '—')}</td>"
            f"<td>{'启用' if u['is_active'] else _INACTIVE}</td></tr>"
        )

    return rowhtml.rows(
        rowhtml.values(users, *_USER_ROW),
        row,
        '<tr><td colspan="6" class="text-center text-muted">没有符合条件的用户。</td></tr>',
    )
