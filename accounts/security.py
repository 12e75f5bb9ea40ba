"""Sign-in throttling, API tokens and password changes: the rules in one place, with their audit trail.

Throttling (web login, Django admin login and ``POST /api/v1/auth/token/`` alike):

* per account: ``LOGIN_FAILURE_LIMIT`` failed sign-ins for one user name within ``LOGIN_LOCKOUT_MINUTES`` (counted
  since that account's last successful sign-in) lock the account;
* per IP: ``LOGIN_IP_FAILURE_LIMIT`` failed sign-ins from one address within the same window lock the address
  (a success does not reset it, so an attacker cannot clear the counter with an account of their own).

While locked, every attempt is refused before the password is even checked — the right password too — with a
Chinese message saying how many minutes remain. The lock ends when enough failures have aged out of the window.
The counters are the ``SecurityEvent`` rows, which are also the audit the city admin reads.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import ApiToken, PasswordLink, SecurityEvent, User
from core.clientip import client_ip
from core.printing import public_url
from core.validators import check_lengths

LOCKOUT_MESSAGE = "登录失败次数过多，账户已临时锁定，请{minutes}分钟后再试或联系管理员。"
INVALID_LOGIN_MESSAGE = "用户名或密码不正确，请重新输入。"

Kind = SecurityEvent.Kind


def lockout_period() -> timedelta:
    return timedelta(minutes=int(settings.LOGIN_LOCKOUT_MINUTES))


@dataclass(frozen=True)
class Lockout:
    until: datetime

    @property
    def minutes(self) -> int:
        return max(1, math.ceil((self.until - timezone.now()).total_seconds() / 60))

    @property
    def message(self) -> str:
        return LOCKOUT_MESSAGE.format(minutes=self.minutes)


class LockedOut(Exception):
    def __init__(self, lockout: Lockout):
        super().__init__(lockout.message)
        self.lockout = lockout


def _lock_until(failures, limit: int, period: timedelta) -> datetime | None:
    """Failures (newest first) within the window: locked until the limit-th newest one leaves it."""
    if limit <= 0:
        return None
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) < limit:
        return None
    return times[-1] + period


def current_lockout(username: str, ip: str | None) -> Lockout | None:
    now = timezone.now()
    period = lockout_period()
    since = now - period
    untils = []
    account = SecurityEvent.objects.filter(username=username, kind=Kind.LOGIN_FAILED, at__gt=since)
    last_ok = (
        SecurityEvent.objects.filter(username=username, kind=Kind.LOGIN_OK, at__gt=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if last_ok is not None:
        account = account.filter(at__gt=last_ok)
    untils.append(_lock_until(account, int(settings.LOGIN_FAILURE_LIMIT), period))
    if ip:
        by_ip = SecurityEvent.objects.filter(ip=ip, kind=Kind.LOGIN_FAILED, at__gt=since)
        untils.append(_lock_until(by_ip, int(settings.LOGIN_IP_FAILURE_LIMIT), period))
    untils = [u for u in untils if u is not None and u > now]
    return Lockout(max(untils)) if untils else None


def record(kind: str, *, request=None, username: str = "", user=None, actor=None, channel="web", detail=""):
    return SecurityEvent.objects.create(
        kind=kind,
        channel=channel,
        username=(username or (user.username if user else ""))[:150],
        user=user,
        actor=actor,
        ip=client_ip(request),
        detail=detail[:500],
    )


def authenticate_throttled(request, username: str, password: str, channel: str = "web") -> User | None:
    """authenticate() behind the lockout: raises LockedOut, returns the user or None; every attempt is audited."""
    ip = client_ip(request)
    lockout = current_lockout(username, ip)
    if lockout is not None:
        record(Kind.LOGIN_LOCKED, request=request, username=username, channel=channel, detail=lockout.message)
        raise LockedOut(lockout)
    user = authenticate(request, username=username, password=password)
    if user is None:
        known = User.objects.filter(username=username).first()
        record(Kind.LOGIN_FAILED, request=request, username=username, user=known, channel=channel)
        return None
    record(Kind.LOGIN_OK, request=request, username=username, user=user, channel=channel)
    return user


# --- API tokens -----------------------------------------------------------------------------------------------
def token_ttl() -> timedelta:
    return timedelta(hours=int(settings.TOKEN_TTL_HOURS))


def issue_token(user: User, name: str, *, request=None, channel: str = "web") -> tuple[ApiToken, str]:
    """A new token for ``user``; returns the row and the key (shown once, only its digest is stored)."""
    name = name or "API 令牌"
    check_lengths(ApiToken, {"name": name})
    key = secrets.token_hex(20)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=key[:8],
            digest=ApiToken.digest_of(key),
            expires_at=timezone.now() + token_ttl(),
        )
        record(Kind.TOKEN_CREATED, request=request, user=user, actor=user, channel=channel, detail=str(token))
    return token, key


def revoke_token(token: ApiToken, *, actor: User, request=None, channel: str = "web") -> None:
    """Delete ``token`` (audited); ``PermissionDenied`` unless ``actor`` may act on its owner (accounts.roles)."""
    roles.require_can_act_on_account(actor, token.user)
    with transaction.atomic():
        record(Kind.TOKEN_REVOKED, request=request, user=token.user, actor=actor, channel=channel, detail=str(token))
        token.delete()


# --- passwords ------------------------------------------------------------------------------------------------
def password_changed(user: User, *, request=None, channel: str = "web") -> None:
    record(Kind.PASSWORD_CHANGED, request=request, user=user, actor=user, channel=channel)


# --- one-time set-password links (never a password typed by an admin) ---------------------------------------
def password_link_ttl() -> timedelta:
    return timedelta(hours=int(settings.PASSWORD_LINK_TTL_HOURS))


def password_link_path(key: str) -> str:
    from django.urls import reverse

    return reverse("accounts:set-password", args=[key])


def issue_password_link(
    target: User, *, actor: User, request=None, channel: str = "web", reason: str = "重置密码"
) -> tuple[PasswordLink, str]:
    """A new one-time link for ``target`` to set its password; returns the row and the key (the link is
    ``password_link_path(key)``; only the digest is stored). Earlier unused links of the account end; the link
    is e-mailed to the account's address, if any, after the commit.

    ``PermissionDenied`` unless ``actor`` may act on ``target`` (``accounts.roles.can_act_on_account``)."""
    roles.require_can_act_on_account(actor, target)
    if not target.is_active:
        from django.core.exceptions import ValidationError

        raise ValidationError("该账户已停用，请先重新启用再签发设置密码链接。")
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        PasswordLink.objects.filter(user=target, used_at=None, revoked_at=None).update(revoked_at=now)
        link = PasswordLink.objects.create(
            user=target,
            digest=ApiToken.digest_of(key),
            created_by=actor,
            created_at=now,
            expires_at=now + password_link_ttl(),
        )
        record(
            Kind.PASSWORD_LINK_ISSUED,
            request=request,
            user=target,
            actor=actor,
            channel=channel,
            detail=f"{reason}；有效期至 {timezone.localtime(link.expires_at):%Y-%m-%d %H:%M}",
        )
        if target.email:
            url = public_url(password_link_path(key), request)
            transaction.on_commit(lambda: _mail_link(target, url, link.expires_at))
    return link, key


def _mail_link(user: User, url: str, expires_at) -> None:
    from django.core.mail import send_mail

    try:
        send_mail(
            "【精品工程管理系统】设置登录密码",
            f"{user.display_name}：\n\n您的登录名是 {user.username}。请在 "
            f"{timezone.localtime(expires_at):%Y-%m-%d %H:%M} 前打开以下链接设置密码（只能使用一次）：\n\n{url}\n",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except Exception:  # noqa: BLE001 - the admin was shown the link too; mail trouble must not fail the request
        import logging

        logging.getLogger(__name__).exception("password link e-mail to user %s failed", user.pk)


def find_password_link(key: str) -> PasswordLink | None:
    """The usable link with this key (not used, not revoked, not expired, its account active), or None."""
    if not key or len(key) > 100:
        return None
    link = PasswordLink.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
    if link is None or not link.usable or not link.user.is_active:
        return None
    return link


def use_password_link(key: str, new_password: str, *, request=None) -> User | None:
    """Set the password through the link ``key`` (validated by the caller's form): the link is spent, the
    account's other sessions and API tokens end, the lockout is lifted. None when the link is not usable."""
    with transaction.atomic():
        link = PasswordLink.objects.select_for_update().filter(digest=ApiToken.digest_of(key or "")).first()
        if link is None or not link.usable or not link.user.is_active:
            return None
        target = link.user
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        target.set_password(new_password)
        target.save(update_fields=["password"])
        revoked, _ = ApiToken.objects.filter(user=target).delete()
        record(
            Kind.PASSWORD_LINK_USED,
            request=request,
            user=target,
            actor=target,
            detail=f"撤销 API 令牌 {revoked} 个" if revoked else "",
        )
        record(Kind.LOGIN_OK, request=None, user=target, actor=target, detail="通过链接设置密码后解除锁定")
    return target


def end_access(target: User) -> int:
    """A deactivated account: its sessions end (an unusable password changes the session hash), its API tokens
    and unused set-password links are revoked. Returns the number of tokens revoked."""
    target.set_unusable_password()
    target.save(update_fields=["password"])
    PasswordLink.objects.filter(user=target, used_at=None, revoked_at=None).update(revoked_at=timezone.now())
    revoked, _ = ApiToken.objects.filter(user=target).delete()
    return revoked


def password_set_in_admin(target: User, *, actor: User, request=None) -> int:
    """The Django admin's password page has saved ``target``'s new password (its own form): the same consequences
    and audit as an admin reset — tokens revoked, the reset recorded, the lockout lifted."""
    roles.require_can_act_on_account(actor, target)
    with transaction.atomic():
        return _after_reset(target, actor=actor, request=request, channel="admin")


def _after_reset(target: User, *, actor: User, request, channel: str) -> int:
    revoked, _ = ApiToken.objects.filter(user=target).delete()
    record(
        Kind.PASSWORD_RESET,
        request=request,
        user=target,
        actor=actor,
        channel=channel,
        detail=f"撤销 API 令牌 {revoked} 个",
    )
    # A reset counts as a successful sign-in for the per-account counter: the owner can sign in at once.
    record(Kind.LOGIN_OK, request=None, user=target, actor=actor, channel=channel, detail="管理员重置密码后解除锁定")
    return revoked
