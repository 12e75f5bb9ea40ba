"""Who may do what: the role groups, spelled once, and one predicate per question of scope.

Web views (``allowed_roles``), API viewsets (``read_roles`` / ``write_roles``), services and tasks all use these;
no other module spells a tuple of role names or compares ``user.region_id`` with a county by hand.

* A *group* is a tuple of ``User.Role`` values (``MANAGERS`` = city admin + county staff, …).
* A *predicate* answers one question with ``True``/``False`` and never raises; the ``require_*`` helpers turn a
  ``False`` into ``PermissionDenied`` with a Chinese message. A service that checks a *chosen* project or county
  (a form field) may instead raise a field ``ValidationError`` from the same predicate.

Rows a user may *see* are decided by each model's ``visible_to(user)`` queryset (``can_see`` asks it about one
object); a county's rows may be *managed* by the city admin and that county's staff (``can_manage_county``).

Acting on an account (``can_act_on_account``): resetting its password, editing or deactivating or deleting it,
revoking its API tokens. Accounts are ranked, highest first:

    superuser (Django ``is_superuser``)  >  staff (``is_staff``, Django admin)  >  city admin (role)
    >  county staff (role)  >  expert / unit user (roles)

An account's rank is its highest title: the demo's ``admin`` (role 市局管理员, ``is_staff`` and ``is_superuser``)
ranks as a superuser, the demo's ``city`` (role 市局管理员 only) as a city admin. The rule:

* everyone may act on their own account (own password, own tokens; in the Django admin a non-superuser still
  cannot grant itself ``is_superuser``, ``is_staff``, groups or permissions: those fields are read-only to it);
* a superuser may act on every account;
* staff and city admins may act on accounts ranked strictly below their own: a city admin on county staff,
  experts and unit users, never on another city admin, a staff account or a superuser; staff on every
  application user, never on another staff account or a superuser;
* county staff act on the unit users of the enterprises *active in their county* (registered there, or taking
  part in one of its projects: ``Enterprise.objects.active_in_county``), never on staff of any county, experts or
  the city;
* an enterprise's administrator (a unit user with ``is_enterprise_admin``) acts on the other, non-administrator
  users of its own enterprise;
* experts and other unit users act on no account but their own;
* an anonymous or deactivated actor acts on none.

Managing accounts (``can_manage_account``: create, edit, deactivate or reactivate, issue a set-password link) is
the same rule without the "own account" clause — nobody creates their own account, changes their own role or
deactivates themselves — applied to the account *as it is and as it would be* (``accounts.services``): an edit may
neither start from nor end at an account the actor could not create.

Every user/token/password action (web, API, Django admin) and the services behind them
(``accounts.services``, ``accounts.security.issue_password_link``, ``revoke_token``) ask this one rule.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.models import Enterprise, User

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


# --- acting on accounts -------------------------------------------------------------------------------------
RANK_SUPERUSER = 4
RANK_STAFF = 3
RANK_CITY_ADMIN = 2
RANK_COUNTY_STAFF = 1
RANK_USER = 0  # experts and unit users


def account_rank(user) -> int:
    """The rank of an account (module docstring): its highest title, whatever its role says."""
    if getattr(user, "is_superuser", False):
        return RANK_SUPERUSER
    if getattr(user, "is_staff", False):
        return RANK_STAFF
    role = getattr(user, "role", None)
    if role == Role.CITY_ADMIN:
        return RANK_CITY_ADMIN
    if role == Role.COUNTY_STAFF:
        return RANK_COUNTY_STAFF
    return RANK_USER


def can_act_on_account(actor, target) -> bool:
    """May ``actor`` reset the password of, edit, deactivate, delete or revoke the tokens of ``target``?"""
    if not is_signed_in(actor) or target is None:
        return False
    if target.pk is not None and target.pk == actor.pk:
        return True
    return can_manage_account(actor, target)


def can_manage_account(actor, target) -> bool:
    """May ``actor`` create (``target`` unsaved), edit, deactivate or reactivate ``target``, or issue it a
    set-password link? The module docstring's rule; never one's own account (except for a superuser)."""
    if not is_signed_in(actor) or target is None:
        return False
    rank = account_rank(actor)
    if rank == RANK_SUPERUSER:
        return True
    if target.pk is not None and target.pk == actor.pk:
        return False
    if rank >= RANK_CITY_ADMIN:
        return account_rank(target) < rank
    if account_rank(target) != RANK_USER or getattr(target, "role", None) != Role.UNIT_USER:
        return False  # county staff and enterprise admins manage unit users only
    if not target.enterprise_id:
        return False
    if actor.is_county_staff and actor.region_id:
        return Enterprise.objects.active_in_county(actor.region_id).filter(pk=target.enterprise_id).exists()
    if actor.is_unit_user and actor.is_enterprise_admin and actor.enterprise_id:
        return target.enterprise_id == actor.enterprise_id and not target.is_enterprise_admin
    return False


def may_manage_accounts(user) -> bool:
    """Holds the user-management pages at all: the city (and above), county staff, enterprise administrators."""
    if not is_signed_in(user):
        return False
    if account_rank(user) >= RANK_CITY_ADMIN or user.is_county_staff:
        return True
    return bool(user.is_unit_user and user.is_enterprise_admin and user.enterprise_id)


def can_manage_enterprise(user, enterprise) -> bool:
    """May create (``enterprise`` unsaved) or edit this enterprise: the city admin any, county staff those
    registered in their county."""
    if not is_signed_in(user):
        return False
    if user.is_city_admin or account_rank(user) >= RANK_CITY_ADMIN:
        return True
    return bool(user.is_county_staff and user.region_id and enterprise.region_id == user.region_id)


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


def require_can_manage_account(actor, target) -> None:
    """``PermissionDenied`` unless ``can_manage_account(actor, target)``."""
    name = getattr(target, "username", "") or "该"
    require(
        can_manage_account(actor, target),
        f"无权管理账户“{name}”：市局管理员管理县局工作人员、专家和参建单位用户；县局工作人员管理在本县活动的单位的用户；"
        "单位管理员管理本单位的其他用户。",
    )


def require_can_act_on_account(actor, target) -> None:
    """``PermissionDenied`` unless ``can_act_on_account(actor, target)``; the message names the refused account."""
    name = getattr(target, "username", "") or "该"
    require(
        can_act_on_account(actor, target),
        f"无权操作账户“{name}”：只能管理级别低于本人的账户（超级管理员＞后台管理员＞市局管理员＞县局工作人员＞专家、参建单位用户）。",
    )
