"""Managing the organisation: users, enterprises and enterprise self-registration (issue 23).

Every write of the user-management pages, the users API and the registration pages goes through one function
here; each asks the one rule (``accounts.roles.can_manage_account`` / ``can_manage_enterprise``), keeps history
(an account is deactivated, never deleted) and writes its audit row (``SecurityEvent``, read by the city on the
安全日志 page).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalChanges

from accounts import roles, security
from accounts.models import Enterprise, EnterpriseRegistration, Region, SecurityEvent, User
from core.history import update_with_history
from core.validators import check_length, credit_code_error

Kind = SecurityEvent.Kind

USER_FIELDS = ("username", "name", "role", "region", "enterprise", "is_enterprise_admin", "phone", "email")


@dataclass(frozen=True)
class IssuedLink:
    """A set-password link just issued: the key is in ``path``; shown once to the admin, never stored."""

    user: User
    key: str
    expires_at: object

    @property
    def path(self) -> str:
        return security.password_link_path(self.key)


def _describe(user: User) -> str:
    parts = [user.username, user.get_role_display()]
    if user.region_id:
        parts.append(user.region.name)
    if user.enterprise_id:
        parts.append(user.enterprise.name)
    if user.is_enterprise_admin:
        parts.append("单位管理员")
    return "，".join(parts)


def _normalise(data: dict) -> dict:
    data = dict(data)
    for key in ("username", "name", "phone", "email"):
        if key in data and data[key] is not None:
            data[key] = str(data[key]).strip()
    role = data.get("role")
    if role and role != User.Role.UNIT_USER:
        data["is_enterprise_admin"] = False
    if role == User.Role.UNIT_USER:
        data["region"] = None
    if role in (User.Role.CITY_ADMIN,):
        data["region"] = None
        data["enterprise"] = None
    if role == User.Role.COUNTY_STAFF:
        data["enterprise"] = None
    return data


def _validate_user(user: User) -> None:
    user.full_clean(exclude=["password"])


def create_user(actor: User, *, request=None, channel: str = "web", **data) -> IssuedLink:
    """A new account (no password: a one-time set-password link is issued, e-mailed if the account has an
    address, and returned to be shown once to ``actor``). ``PermissionDenied`` unless ``actor`` may create an
    account like it; ``ValidationError`` (Chinese, per field) for bad input."""
    data = _normalise({k: v for k, v in data.items() if k in USER_FIELDS})
    user = User(**data)
    user.set_unusable_password()
    roles.require(roles.may_manage_accounts(actor), "您的角色无权管理用户。")
    _validate_user(user)  # a missing county or enterprise is a field error, before the rule is asked of it
    roles.require_can_manage_account(actor, user)
    with transaction.atomic():
        user.save()
        security.record(
            Kind.USER_CREATED, request=request, user=user, actor=actor, channel=channel, detail=_describe(user)
        )
        link, key = security.issue_password_link(user, actor=actor, request=request, channel=channel, reason="新账户")
    return IssuedLink(user, key, link.expires_at)


def update_user(actor: User, target: User, *, request=None, channel: str = "web", **changes) -> User:
    """Change an account's name, role, county, enterprise, administrator flag or contact. The rule holds for the
    account as it is and as it becomes (nobody moves an account into or out of reach)."""
    roles.require_can_manage_account(actor, target)
    before = _describe(target)
    merged = {name: getattr(target, name) for name in USER_FIELDS}
    merged.update({k: v for k, v in changes.items() if k in USER_FIELDS})
    merged = _normalise(merged)
    for name, value in merged.items():
        setattr(target, name, value)
    roles.require_can_manage_account(actor, target)
    _validate_user(target)
    with transaction.atomic():
        target.save()
        after = _describe(target)
        detail = f"{before} → {after}" if before != after else after
        security.record(Kind.USER_UPDATED, request=request, user=target, actor=actor, channel=channel, detail=detail)
    return target


DEACTIVATION_REASON_MAX = 200  # longer is refused, never cut


def deactivate_user(actor: User, target: User, *, reason: str = "", request=None, channel: str = "web") -> int:
    """停用: the account stays (its history, its name on records) but can no longer sign in; its sessions end, its
    API tokens and set-password links are revoked. Returns the number of tokens revoked."""
    roles.require_can_manage_account(actor, target)
    if target.pk == actor.pk:
        raise ValidationError("不能停用自己的账户。")
    if not target.is_active:
        raise ValidationError("该账户已是停用状态。")
    reason = (reason or "").strip()
    check_length(reason, DEACTIVATION_REASON_MAX, "停用理由", key="reason")
    with transaction.atomic():
        target.is_active = False
        target.save(update_fields=["is_active"])
        revoked = security.end_access(target)
        note = f"；撤销 API 令牌 {revoked} 个" if revoked else ""
        security.record(
            Kind.USER_DEACTIVATED,
            request=request,
            user=target,
            actor=actor,
            channel=channel,
            detail=f"{reason or '未说明理由'}{note}",
        )
    return revoked


def deactivated_in_admin(actor: User, target: User, *, request=None) -> None:
    """The Django admin's change form has saved ``is_active=False``: the same consequences and audit."""
    roles.require_can_act_on_account(actor, target)
    with transaction.atomic():
        revoked = security.end_access(target)
        security.record(
            Kind.USER_DEACTIVATED,
            request=request,
            user=target,
            actor=actor,
            channel="admin",
            detail=f"撤销 API 令牌 {revoked} 个",
        )


def reactivate_user(actor: User, target: User, *, request=None, channel: str = "web") -> IssuedLink:
    """重新启用: the account may sign in again after setting a new password through a new one-time link."""
    roles.require_can_manage_account(actor, target)
    if target.is_active:
        raise ValidationError("该账户已是启用状态。")
    with transaction.atomic():
        target.is_active = True
        target.save(update_fields=["is_active"])
        security.record(Kind.USER_REACTIVATED, request=request, user=target, actor=actor, channel=channel)
        link, key = security.issue_password_link(
            target, actor=actor, request=request, channel=channel, reason="重新启用"
        )
    return IssuedLink(target, key, link.expires_at)


def issue_link(actor: User, target: User, *, request=None, channel: str = "web") -> IssuedLink:
    """A set-password link for an account ``actor`` manages (the admin-side 重置密码)."""
    roles.require_can_manage_account(actor, target)
    link, key = security.issue_password_link(target, actor=actor, request=request, channel=channel)
    return IssuedLink(target, key, link.expires_at)


def assignable_roles(actor: User) -> list[tuple[str, str]]:
    """The roles ``actor`` may give an account (for the form's choices; the service checks again)."""
    result = []
    for value, label in User.Role.choices:
        probe = User(role=value, enterprise_id=actor.enterprise_id if value == User.Role.UNIT_USER else None)
        if roles.account_rank(actor) >= roles.RANK_CITY_ADMIN and roles.account_rank(probe) < roles.account_rank(actor):
            result.append((value, label))
        elif value == User.Role.UNIT_USER and roles.may_manage_accounts(actor):
            result.append((value, label))
    return result


# --- enterprises --------------------------------------------------------------------------------------------
# --- regions ----------------------------------------------------------------------------------------------------
# Sent inside the transaction of a change to a region's parameters, with ``region``, ``fields`` (the changed names) and
# ``user``: the apps whose figures read them (assessment's targets) re-score what is still open.
region_changed = Signal()

REGION_FIELDS = ("name", "code", "level", "parent", "order", "prefab_target_ratio")
REGION_STRUCTURE = ("code", "level", "parent")


def save_region(actor: User, region: Region | None, *, request=None, channel: str = "web", **data) -> Region:
    """Create (``region`` None) or edit a region: the city admin only. A region's place in the tree (code, level,
    parent) is fixed once it exists — counties' rows hang on it; its name, order and 装配式 target ratio change, audited,
    and the open months of the counties below it are re-scored (``region_changed``)."""
    roles.require_city_admin(actor, "维护区域")
    creating = region is None
    region = region or Region()
    changed = []
    for name, value in data.items():
        if name not in REGION_FIELDS:
            continue
        value = value.strip() if isinstance(value, str) else value
        if getattr(region, name) == value:
            continue
        if not creating and name in REGION_STRUCTURE:
            raise ValidationError({name: "区域建立后不能修改代码、级别或上级区域。"})
        setattr(region, name, value)
        changed.append(name)
    region.full_clean()
    if not changed and not creating:
        return region
    ratio = region.prefab_target_ratio
    if ratio is not None and not (0 <= ratio <= 100):
        raise ValidationError({"prefab_target_ratio": "装配式建筑目标比例应在 0 到 100 之间。"})
    with transaction.atomic():
        region.save()
        security.record(
            Kind.REGION_CREATED if creating else Kind.REGION_UPDATED,
            request=request,
            actor=actor,
            username=actor.username,
            channel=channel,
            detail=f"{region.name}（{region.code}）：{'、'.join(changed) or '新建'}"[:200],
        )
        if not creating:  # in the same transaction: the ratio and the re-scored months commit together
            region_changed.send(sender=Region, region=region, fields=tuple(changed), user=actor)
    return region


ENTERPRISE_FIELDS = ("name", "credit_code", "region", "legal_representative", "contact_phone", "address")


def _check_credit_code(value: str) -> str:
    value = (value or "").strip().upper()
    error = credit_code_error(value)
    if error:
        raise ValidationError({"credit_code": error})
    return value


def save_enterprise(
    actor: User, enterprise: Enterprise | None, *, kinds=None, request=None, channel: str = "web", **data
) -> Enterprise:
    """Create (``enterprise`` None) or edit an enterprise: the city admin any, county staff those registered in
    their county; the credit code passes the GB 32100 check and is unique."""
    creating = enterprise is None
    if not creating:
        roles.require(roles.can_manage_enterprise(actor, enterprise), "只能修改本县（市、区）登记的单位。")
    enterprise = enterprise or Enterprise()
    for name, value in data.items():
        if name in ENTERPRISE_FIELDS:
            setattr(enterprise, name, value.strip() if isinstance(value, str) else value)
    enterprise.credit_code = _check_credit_code(enterprise.credit_code)
    roles.require(roles.can_manage_enterprise(actor, enterprise), "县局工作人员只能登记和修改本县（市、区）的单位。")
    enterprise.full_clean()
    if kinds is not None and not list(kinds):
        raise ValidationError({"kinds": "请至少选择一个单位类别。"})
    with transaction.atomic():
        enterprise.save()
        if kinds is not None:
            enterprise.kinds.set(kinds)
        security.record(
            Kind.ENTERPRISE_CREATED if creating else Kind.ENTERPRISE_UPDATED,
            request=request,
            actor=actor,
            username=actor.username,
            channel=channel,
            detail=f"{enterprise.name}（{enterprise.credit_code}）",
        )
    return enterprise


def enterprise_references() -> list[models.Field]:
    """Every concrete foreign key (or one-to-one) to ``Enterprise`` in every installed model, the automatic
    many-to-many tables included: what a merge must move. Found from the model registry, so a model added
    later is moved too."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        if issubclass(model, HistoricalChanges):
            continue  # 变更记录 keeps the enterprise a row pointed at then: history is not rewritten
        for field in model._meta.get_fields():
            if (
                field.concrete
                and field.is_relation
                and (field.many_to_one or field.one_to_one)
                and field.related_model is Enterprise
            ):
                found.append(field)
    return found


def merge_enterprises(actor: User, survivor: Enterprise, duplicate: Enterprise, *, request=None) -> dict[str, int]:
    """合并重复单位 (the city admin): every row pointing at ``duplicate`` points at ``survivor``, its kinds join the
    survivor's, then the duplicate is deleted — in one transaction, audited. A row that would then collide with
    one of the survivor's (the same project role twice …) stops the merge with a Chinese message, nothing moved.
    Returns ``{model label: rows moved}``."""
    roles.require_city_admin(actor, "合并重复单位")
    if survivor.pk == duplicate.pk:
        raise ValidationError("请选择两个不同的单位。")
    moved: dict[str, int] = {}
    with transaction.atomic():
        survivor = Enterprise.objects.select_for_update().get(pk=survivor.pk)
        duplicate = Enterprise.objects.select_for_update().get(pk=duplicate.pk)
        for field in enterprise_references():
            model = field.model
            rows = model._default_manager.filter(**{field.attname: duplicate.pk})
            if model._meta.auto_created:
                # a plain many-to-many link: drop the duplicate's links the survivor already has
                other = next(
                    f for f in model._meta.get_fields() if f.is_relation and f.many_to_one and f.name != field.name
                )
                have = model._default_manager.filter(**{field.attname: survivor.pk}).values(other.attname)
                rows.filter(**{f"{other.attname}__in": have}).delete()
            try:
                with transaction.atomic():
                    if hasattr(model, "history"):  # 变更记录 of each moved row (an UPDATE sends no signal)
                        count = update_with_history(rows, **{field.attname: survivor.pk})
                    else:
                        count = rows.update(**{field.attname: survivor.pk})
            except IntegrityError as exc:
                raise ValidationError(
                    f"两个单位在“{model._meta.verbose_name}”中有重复的记录，无法自动合并，请先处理后再合并。"
                ) from exc
            if count:
                label = str(model._meta.verbose_name)
                moved[label] = moved.get(label, 0) + count
        detail = f"{duplicate.name}（{duplicate.credit_code}）并入 {survivor.name}（{survivor.credit_code}）"
        if moved:
            detail += "；迁移：" + "、".join(f"{k}{v}条" for k, v in moved.items())
        duplicate.delete()
        security.record(Kind.ENTERPRISE_MERGED, request=request, actor=actor, username=actor.username, detail=detail)
    return moved


# --- self-registration ----------------------------------------------------------------------------------------
def _registration_number() -> str:
    today = timezone.localdate()
    for _ in range(10):
        number = f"ZC{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not EnterpriseRegistration.objects.filter(number=number).exists():
            return number
    raise RuntimeError("no free registration number")  # pragma: no cover


def _refuse_duplicate(credit_code: str, exclude_pk=None) -> None:
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise ValidationError(
            {
                "credit_code": "该统一社会信用代码的单位已经登记，请联系本单位的管理员或所在县（市、区）住建部门开通账户。"
            }
        )
    pending = EnterpriseRegistration.objects.filter(
        credit_code=credit_code, status=EnterpriseRegistration.Status.PENDING
    )
    if exclude_pk:
        pending = pending.exclude(pk=exclude_pk)
    if pending.exists():
        raise ValidationError({"credit_code": "该统一社会信用代码已有一份待审核的注册申请，请勿重复提交。"})


def submit_registration(*, kinds, licence, ip=None, **data) -> tuple[EnterpriseRegistration, str]:
    """A company's application (public page). ``licence`` is a checked upload (``core.uploads.prepare_upload``).
    Returns the application and its secret (for the status page; only a digest is stored)."""
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    credit_code = _check_credit_code(data.pop("credit_code", ""))
    username = data.get("username") or ""
    if username and User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该登录名已被使用，请换一个（或留空，以统一社会信用代码为登录名）。"})
    if not username and User.objects.filter(username=credit_code).exists():
        raise ValidationError({"username": "以统一社会信用代码为登录名的账户已存在，请另选一个登录名。"})
    if Enterprise.objects.filter(name=data.get("name", "")).exists():
        raise ValidationError({"name": "同名单位已经登记，请联系所在县（市、区）住建部门。"})
    county = data.get("county")
    if county is None or county.level != Region.Level.COUNTY:
        raise ValidationError({"county": "请选择单位注册所在的县（市、区）。"})
    secret = secrets.token_urlsafe(9)
    with transaction.atomic():
        # one application per credit code at a time: lock the rows of that code (a second tab waits, then fails)
        list(EnterpriseRegistration.objects.select_for_update().filter(credit_code=credit_code))
        _refuse_duplicate(credit_code)
        registration = EnterpriseRegistration(
            number=_registration_number(),
            secret_digest=security.ApiToken.digest_of(secret),
            credit_code=credit_code,
            ip=ip,
            licence_type=licence.content_type,
            **data,
        )
        registration.licence.save(f"licence.{licence.kind}", licence.content, save=False)
        registration.save()
        registration.kinds.set(kinds)
        security.record(
            Kind.REGISTRATION_SUBMITTED,
            username=registration.username or credit_code,
            detail=f"{registration.number} {registration.name}（{credit_code}），{county.name}",
        )
    return registration, secret


def find_registration(number: str, secret: str) -> EnterpriseRegistration | None:
    row = EnterpriseRegistration.objects.filter(number=(number or "").strip().upper()).first()
    if row is None or not secrets.compare_digest(row.secret_digest, security.ApiToken.digest_of(secret or "")):
        return None
    return row


def _require_decider(actor: User, registration: EnterpriseRegistration) -> None:
    roles.require(
        roles.can_manage_county(actor, registration.county_id),
        "只有注册所在县（市、区）的工作人员或市局管理员可以审核该申请。",
    )
    if registration.status != EnterpriseRegistration.Status.PENDING:
        raise ValidationError("该申请已经审核，不能重复处理。")


def approve_registration(actor: User, registration: EnterpriseRegistration, *, request=None) -> IssuedLink:
    """批准: the enterprise is registered (in the applicant's county, with its kinds) and the applicant becomes its
    administrator (login name as applied for, else the credit code), with a one-time set-password link e-mailed
    to the contact address and returned to be shown once."""
    with transaction.atomic():
        registration = EnterpriseRegistration.objects.select_for_update().get(pk=registration.pk)
        _require_decider(actor, registration)
        _refuse_duplicate(registration.credit_code, exclude_pk=registration.pk)
        enterprise = Enterprise(
            name=registration.name,
            credit_code=registration.credit_code,
            region=registration.county,
            legal_representative=registration.legal_representative,
            contact_phone=registration.contact_phone,
            address=registration.address,
        )
        enterprise.full_clean()
        enterprise.save()
        enterprise.kinds.set(registration.kinds.all())
        security.record(
            Kind.ENTERPRISE_CREATED,
            request=request,
            actor=actor,
            username=actor.username,
            detail=f"{enterprise.name}（{enterprise.credit_code}），经注册申请 {registration.number}",
        )
        user = User(
            username=registration.username or registration.credit_code,
            name=registration.contact_name,
            role=User.Role.UNIT_USER,
            enterprise=enterprise,
            is_enterprise_admin=True,
            phone=registration.contact_phone,
            email=registration.contact_email,
        )
        user.set_unusable_password()
        try:
            _validate_user(user)
        except ValidationError as exc:
            raise ValidationError(f"无法创建单位管理员账户：{'；'.join(exc.messages)}") from exc
        user.save()
        security.record(Kind.USER_CREATED, request=request, user=user, actor=actor, detail=_describe(user))
        registration.status = EnterpriseRegistration.Status.APPROVED
        registration.decided_at = timezone.now()
        registration.decided_by = actor
        registration.enterprise = enterprise
        registration.admin_user = user
        registration.save()
        security.record(
            Kind.REGISTRATION_APPROVED,
            request=request,
            user=user,
            actor=actor,
            detail=f"{registration.number} {registration.name}",
        )
        # the county approves, it does not manage this account's password: the link is the system's, not an
        # admin's, so it is issued as the city's rule allows (the approving actor may act on a unit user of an
        # enterprise of its county, which this enterprise now is)
        link, key = security.issue_password_link(user, actor=actor, request=request, reason="单位注册获批")
    return IssuedLink(user, key, link.expires_at)


REFUSAL_REASON_MAX = 2000  # longer is refused, never cut


def refuse_registration(actor: User, registration: EnterpriseRegistration, reason: str, *, request=None) -> None:
    """驳回 with a reason, which the applicant reads on the status page (and by e-mail, when given)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写驳回理由。"})
    check_length(reason, REFUSAL_REASON_MAX, "驳回理由", key="reason")
    with transaction.atomic():
        registration = EnterpriseRegistration.objects.select_for_update().get(pk=registration.pk)
        _require_decider(actor, registration)
        registration.status = EnterpriseRegistration.Status.REFUSED
        registration.reason = reason
        registration.decided_at = timezone.now()
        registration.decided_by = actor
        registration.save()
        security.record(
            Kind.REGISTRATION_REFUSED,
            request=request,
            actor=actor,
            username=registration.username or registration.credit_code,
            detail=f"{registration.number} {registration.name}：{reason[:300]}",
        )
        if registration.contact_email:
            transaction.on_commit(lambda: _mail_refusal(registration))


def _mail_refusal(registration: EnterpriseRegistration) -> None:
    from django.conf import settings
    from django.core.mail import send_mail

    try:
        send_mail(
            "【精品工程管理系统】单位注册申请未通过",
            f"{registration.contact_name}：\n\n贵单位“{registration.name}”的注册申请（编号 {registration.number}）"
            f"未通过审核。\n理由：{registration.reason}\n\n如有疑问，请联系{registration.county.name}住建部门。",
            settings.DEFAULT_FROM_EMAIL,
            [registration.contact_email],
        )
    except Exception:  # noqa: BLE001
        import logging

        logging.getLogger(__name__).exception("refusal e-mail for registration %s failed", registration.pk)
