"""Who may do what: the role groups, spelled once, and one predicate per question of scope.

Web views (``allowed_roles``), API viewsets (``read_roles`` / ``write_roles``), services and tasks all use these;
no other module spells a tuple of role names or compares ``user.region_id`` with a county by hand.

* A *group* is a tuple of ``User.Role`` values (``MANAGERS`` = city admin + county staff, …).
* A *predicate* answers one question with ``True``/``False`` and never raises; the ``require_*`` helpers turn a
  ``False`` into ``PermissionDenied`` with a Chinese message. A service that checks a *chosen* project or county
  (a form field) may instead raise a field ``ValidationError`` from the same predicate.

Rows a user may *see* are decided by each model's ``visible_to(user)`` queryset (``can_see`` asks it about one
object); a county's rows may be *managed* by the city admin and that county's staff (``can_manage_county``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import User

Role = User.Role

# --- role groups --------------------------------------------------------------------------------------------
CITY_ADMINS = (Role.CITY_ADMIN.value,)
COUNTY_STAFF = (Role.COUNTY_STAFF.value,)
EXPERTS = (Role.EXPERT.value,)
UNIT_USERS = (Role.UNIT_USER.value,)
MANAGERS = CITY_ADMINS + COUNTY_STAFF  # the bureau: city admin and county staff
MANAGERS_AND_UNITS = MANAGERS + UNIT_USERS  # the bureau and the participating enterprises
MANAGERS_AND_EXPERTS = MANAGERS + EXPERTS  # the bureau and the evaluation experts
ALL_ROLES = MANAGERS + EXPERTS + UNIT_USERS


# --- predicates ---------------------------------------------------------------------------------------------
def _pk(obj_or_id):
    return getattr(obj_or_id, "pk", obj_or_id)


def is_signed_in(user) -> bool:
    """An authenticated, active account (a deactivated account may do nothing)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def has_role(user, group: tuple[str, ...]) -> bool:
    """A signed-in user whose role is in ``group`` (one of the tuples above)."""
    return is_signed_in(user) and user.role in group


def is_city_admin(user) -> bool:
    """The city bureau's administrator: every county, reference data and settings."""
    return is_signed_in(user) and user.is_city_admin


def can_manage_county(user, county) -> bool:
    """May change the rows of this county (a ``Region`` or its id): the city admin, or that county's staff."""
    if not is_signed_in(user):
        return False
    if user.is_city_admin:
        return True
    county_id = _pk(county)
    return bool(user.is_county_staff and user.region_id and county_id == user.region_id)


def is_county_staff_of(user, county) -> bool:
    """Staff of this very county (the city admin excluded): who files the county's own monthly assessment."""
    county_id = _pk(county)
    return bool(is_signed_in(user) and user.is_county_staff and user.region_id and county_id == user.region_id)


def can_manage_project(user, project) -> bool:
    """May change this project, its participants, constraints, evaluations and awards: its county's managers."""
    return can_manage_county(user, project.county_id)


def is_member_of(user, enterprise) -> bool:
    """A unit user of this enterprise (an ``Enterprise`` or its id): acts for it, e.g. files its reports."""
    enterprise_id = _pk(enterprise)
    return bool(is_signed_in(user) and user.is_unit_user and user.enterprise_id and enterprise_id == user.enterprise_id)


def can_see(user, obj) -> bool:
    """``obj`` lies in the user's scope: its model's ``visible_to(user)`` queryset holds it (one query)."""
    if not is_signed_in(user) or obj is None or obj.pk is None:
        return False
    return type(obj).objects.visible_to(user).filter(pk=obj.pk).exists()


# --- the same questions as guards ---------------------------------------------------------------------------
def require(allowed: bool, message: str) -> None:
    """Raise ``PermissionDenied(message)`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def require_city_admin(user, action: str) -> None:
    """``PermissionDenied("只有市局管理员可以<action>。")`` for everyone but the city admin."""
    require(is_city_admin(user), f"只有市局管理员可以{action}。")


def require_project_manager(user, project, message: str = "") -> None:
    """``PermissionDenied`` unless ``can_manage_project(user, project)``."""
    require(
        can_manage_project(user, project),
        message or "只有市局管理员或项目所在县（市、区）的工作人员可以执行该操作。",
    )
