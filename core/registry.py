"""Extension points the domain apps plug into from their AppConfig.ready():

* navigation entries (by role) for the base layout,
* dashboard panels (a template plus a context function) for the 驾驶舱 page.

Keeping them here means an app adds its menu and its dashboard card without editing shared templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: tuple[str, ...] | None = None  # None: every role (groups: accounts/roles.py)
    order: int = 100
    group: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    roles: tuple[str, ...] | None = None  # None: every role (groups: accounts/roles.py)
    order: int = 100


_nav: dict[str, NavItem] = {}
_panels: dict[str, DashboardPanel] = {}


def register_nav(item: NavItem) -> None:
    _nav[item.url_name] = item


def register_panel(panel: DashboardPanel) -> None:
    _panels[panel.key] = panel


def nav_for(user) -> list[NavItem]:
    role = getattr(user, "role", None)
    if getattr(user, "is_superuser", False) and not role:
        role = "city_admin"
    return sorted((i for i in _nav.values() if i.roles is None or role in i.roles), key=lambda i: (i.order, i.label))


def panels_for(user) -> list[DashboardPanel]:
    role = getattr(user, "role", None)
    return sorted((p for p in _panels.values() if p.roles is None or role in p.roles), key=lambda p: (p.order, p.key))
