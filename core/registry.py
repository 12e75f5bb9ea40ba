"""Extension points the domain apps plug into from their AppConfig.ready():

* navigation entries (by role) for the base layout,
* dashboard panels (a template plus a context function) for the 驾驶舱 page,
* autocomplete sources for the searchable selects (``/autocomplete/<kind>/``),
* sections of the 运行状态 page (``/operations/``, core/operations.py) about an app's own background work.

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
    visible: Callable | None = None  # (user) -> bool: a finer test than the role (e.g. an enterprise admin)


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    template: str
    context: Callable  # (request) -> dict, or None to hide the panel
    roles: tuple[str, ...] | None = None  # None: every role (groups: accounts/roles.py)
    order: int = 100
    title: str = ""  # the placeholder card's title while the panel loads (core/dashboard_placeholder.html)
    width: str = "col-12"  # the placeholder card's column, as the panel's own


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
    items = (
        i for i in _nav.values() if (i.roles is None or role in i.roles) and (i.visible is None or i.visible(user))
    )
    return sorted(items, key=lambda i: (i.order, i.label))


def panel_for(user, key: str) -> DashboardPanel | None:
    """The panel ``key`` if this user's dashboard shows it, else None."""
    return next((p for p in panels_for(user) if p.key == key), None)


def panels_for(user) -> list[DashboardPanel]:
    role = getattr(user, "role", None)
    return sorted((p for p in _panels.values() if p.roles is None or role in p.roles), key=lambda p: (p.order, p.key))


_autocomplete: dict[str, Callable] = {}


def register_autocomplete(kind: str, source: Callable) -> None:
    """``source(user, q, limit)`` returns ``[(pk, text), …]``: the first matches the user may see."""
    _autocomplete[kind] = source


def autocomplete_source(kind: str) -> Callable | None:
    return _autocomplete.get(kind)


@dataclass(frozen=True)
class StatusSection:
    """A section of the 运行状态 page: ``context(now)`` returns the template's context, with ``problem``: what needs
    the admin's attention in a few words (shown at the top of the page), empty when nothing does."""

    key: str
    template: str
    context: Callable
    order: int = 100


_status_sections: dict[str, StatusSection] = {}


def register_status_section(section: StatusSection) -> None:
    _status_sections[section.key] = section


def status_sections() -> list[StatusSection]:
    return sorted(_status_sections.values(), key=lambda s: (s.order, s.key))
