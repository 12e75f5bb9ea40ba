"""Organisation: the Region tree, enterprises (单位) and users with one role each (SPEC §1)."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core.querysets import CountyScopedQuerySet, PublicQuerySet, ScopedQuerySet
from core.validators import validate_credit_code


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"

    name = models.CharField("名称", max_length=50)
    code = models.CharField("行政区划代码", max_length=12, unique=True)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField("排序", default=0)
    prefab_target_ratio = models.DecimalField(
        "装配式建筑目标比例（%）",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="留空则沿用上级区域的比例（默认24%，太原、大同34%）。",
    )

    objects = PublicQuerySet.as_manager()

    DEFAULT_PREFAB_TARGET = Decimal("24")

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "区域"
        verbose_name_plural = "区域"
        ordering = ["level", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["parent", "name"], name="region_unique_name_in_parent")]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "上级区域不能是自己。"})
        expected_parent = {self.Level.CITY: self.Level.PROVINCE, self.Level.COUNTY: self.Level.CITY}
        if self.parent and self.level in expected_parent and self.parent.level != expected_parent[self.level]:
            raise ValidationError({"parent": "上级区域的级别不正确。"})

    def effective_prefab_target(self) -> Decimal:
        """The prefabricated-building target ratio (%) in force: own value, else the nearest ancestor's."""
        node = self
        seen = set()
        while node is not None and node.pk not in seen:
            if node.prefab_target_ratio is not None:
                return node.prefab_target_ratio
            seen.add(node.pk)
            node = node.parent
        return self.DEFAULT_PREFAB_TARGET


class EnterpriseKind(models.Model):
    """One of the seven kinds of 单位; an enterprise may have several."""

    class Code(models.TextChoices):
        BUILDER = "builder", "建设单位"
        SURVEY = "survey", "勘察单位"
        DESIGN = "design", "设计单位"
        CONTRACTOR = "contractor", "施工总承包单位"
        EPC = "epc", "工程总承包单位(EPC)"
        SUPERVISOR = "supervisor", "监理单位"
        CONSULTANT = "consultant", "全过程咨询单位"

    code = models.CharField("代码", max_length=20, primary_key=True, choices=Code.choices)
    name = models.CharField("名称", max_length=30, unique=True)

    class Meta:
        verbose_name = "单位类别"
        verbose_name_plural = "单位类别"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ensure_all(cls) -> None:
        """The seven kinds exist (the data migration creates them; a flushed test database may not have them)."""
        for code, name in cls.Code.choices:
            cls.objects.get_or_create(code=code, defaults={"name": name})


class EnterpriseQuerySet(PublicQuerySet):
    def active_in_county(self, county):
        """Enterprises *active in* a county (a ``Region`` or its id): registered there, or taking part in one of
        its projects (``projects.Participant``). Whose unit users that county's staff manage."""
        county_id = getattr(county, "pk", county)
        return self.filter(
            models.Q(region_id=county_id)
            | models.Q(
                pk__in=models.Subquery(
                    self.model.objects.filter(participations__project__county_id=county_id).values("pk")
                )
            )
        )


class Enterprise(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    credit_code = models.CharField(
        "统一社会信用代码",
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": "该统一社会信用代码已登记。"},
    )
    kinds = models.ManyToManyField(EnterpriseKind, verbose_name="单位类别", related_name="enterprises")
    region = models.ForeignKey(
        Region, verbose_name="所在区域", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = EnterpriseQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False)  # 变更记录

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def kind_codes(self) -> set[str]:
        return {k.code for k in self.kinds.all()}


class UserQuerySet(ScopedQuerySet):
    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_city_admin:
            return self.all()
        if user.is_county_staff and user.region_id:
            # the county's staff, and the unit users of the enterprises active in the county (they manage them)
            active = Enterprise.objects.active_in_county(user.region_id).values("pk")
            return self.filter(
                models.Q(region_id=user.region_id) | models.Q(role=User.Role.UNIT_USER, enterprise_id__in=active)
            )
        if user.is_unit_user and user.is_enterprise_admin and user.enterprise_id:
            return self.filter(role=User.Role.UNIT_USER, enterprise_id=user.enterprise_id)
        return self.filter(pk=user.pk)

    def experts(self):
        return self.filter(role=User.Role.EXPERT, is_active=True)


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    class Role(models.TextChoices):
        CITY_ADMIN = "city_admin", "市局管理员"
        COUNTY_STAFF = "county_staff", "县局工作人员"
        EXPERT = "expert", "评审专家"
        UNIT_USER = "unit_user", "参建单位用户"

    name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=20, choices=Role.choices, default=Role.COUNTY_STAFF)
    region = models.ForeignKey(
        Region,
        verbose_name="所属区域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="县局工作人员必填：所属县（市、区）。",
    )
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="所属单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text="参建单位用户必填；评审专家填写其工作单位（用于回避审查）。",
    )
    phone = models.CharField("手机号", max_length=20, blank=True)
    is_enterprise_admin = models.BooleanField(
        "单位管理员",
        default=False,
        help_text="参建单位用户：可为本单位添加、停用其他用户（每个单位可有一名或多名）。",
    )

    objects = ScopedUserManager()

    history = HistoricalRecords(
        user_db_constraint=False, excluded_fields=["password", "last_login"]
    )  # 变更记录 (no secrets)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["role", "username"]

    def __str__(self) -> str:
        return self.name or self.username

    def clean(self):
        super().clean()
        if self.is_superuser and not self.role:
            self.role = self.Role.CITY_ADMIN
        if self.role == self.Role.COUNTY_STAFF:
            if not self.region_id:
                raise ValidationError({"region": "县局工作人员必须指定所属县（市、区）。"})
            if self.region.level != Region.Level.COUNTY:
                raise ValidationError({"region": "县局工作人员的所属区域必须是县级区域。"})
        if self.role == self.Role.UNIT_USER and not self.enterprise_id:
            raise ValidationError({"enterprise": "参建单位用户必须指定所属单位。"})
        if self.role in (self.Role.UNIT_USER,) and self.region_id:
            raise ValidationError({"region": "参建单位用户不属于某个县局，请勿选择区域。"})
        if self.is_enterprise_admin and self.role != self.Role.UNIT_USER:
            raise ValidationError({"is_enterprise_admin": "只有参建单位用户可以是单位管理员。"})

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def is_city_admin(self) -> bool:
        return self.role == self.Role.CITY_ADMIN

    @property
    def is_county_staff(self) -> bool:
        return self.role == self.Role.COUNTY_STAFF

    @property
    def is_expert(self) -> bool:
        return self.role == self.Role.EXPERT

    @property
    def is_unit_user(self) -> bool:
        return self.role == self.Role.UNIT_USER


class SecurityEvent(models.Model):
    """Audit trail of sign-ins and credential changes (who, from which IP, when).

    Failed sign-ins are also the throttle's counters (``accounts/security.py``): the rows are the evidence the
    city admin reads and the numbers the lockout is decided on.
    """

    class Kind(models.TextChoices):
        LOGIN_OK = "login_ok", "登录成功"
        LOGIN_FAILED = "login_failed", "登录失败"
        LOGIN_LOCKED = "login_locked", "锁定期间拒绝登录"
        PASSWORD_CHANGED = "password_changed", "本人修改密码"
        PASSWORD_RESET = "password_reset", "管理员重置密码"
        TOKEN_CREATED = "token_created", "创建 API 令牌"
        TOKEN_REVOKED = "token_revoked", "撤销 API 令牌"
        PASSWORD_LINK_ISSUED = "password_link_issued", "签发设置密码链接"
        PASSWORD_LINK_USED = "password_link_used", "通过链接设置密码"
        USER_CREATED = "user_created", "新建用户"
        USER_UPDATED = "user_updated", "修改用户"
        USER_DEACTIVATED = "user_deactivated", "停用用户"
        USER_REACTIVATED = "user_reactivated", "重新启用用户"
        ENTERPRISE_CREATED = "enterprise_created", "登记单位"
        ENTERPRISE_UPDATED = "enterprise_updated", "修改单位"
        ENTERPRISE_MERGED = "enterprise_merged", "合并重复单位"
        REGISTRATION_SUBMITTED = "registration_submitted", "单位自助注册申请"
        REGISTRATION_APPROVED = "registration_approved", "批准单位注册"
        REGISTRATION_REFUSED = "registration_refused", "驳回单位注册"
        REGION_CREATED = "region_created", "新建区域"
        REGION_UPDATED = "region_updated", "修改区域参数"

    class Channel(models.TextChoices):
        WEB = "web", "网页"
        ADMIN = "admin", "后台"
        API = "api", "API"

    kind = models.CharField("事件", max_length=30, choices=Kind.choices)
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices, default=Channel.WEB)
    username = models.CharField("登录名", max_length=150, blank=True, help_text="登录时输入的用户名（可能不存在）")
    user = models.ForeignKey(
        User, verbose_name="用户", null=True, blank=True, on_delete=models.SET_NULL, related_name="security_events"
    )
    actor = models.ForeignKey(
        User,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_actions",
    )
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    detail = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "安全日志"
        verbose_name_plural = "安全日志"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["username", "kind", "at"], name="secevent_user_kind_at"),
            models.Index(fields=["ip", "kind", "at"], name="secevent_ip_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.ip or ''}"


class ApiToken(models.Model):
    """A personal API token with an expiry. Only a SHA-256 digest is stored; the key is shown once."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=100)
    prefix = models.CharField("前缀", max_length=8, help_text="令牌的前 8 位，便于辨认")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.prefix}…）"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


class PasswordLink(models.Model):
    """A one-time link to set one's password (新账户、管理员重置): only a SHA-256 digest of the key is stored; the key
    is in the link, e-mailed to the user and/or shown once to the issuing admin. It expires and works once; a newer
    link, a deactivation or the password being set ends it (``accounts.security``)."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="password_links")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        User, verbose_name="签发人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    revoked_at = models.DateTimeField("作废时间", null=True, blank=True)

    class Meta:
        verbose_name = "设置密码链接"
        verbose_name_plural = "设置密码链接"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}（{self.created_at:%Y-%m-%d %H:%M}）"

    @property
    def usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


def registration_licence_path(instance, filename):
    return f"registrations/{timezone.now():%Y/%m}/{instance.number or 'new'}-{filename}"


class RegistrationQuerySet(CountyScopedQuerySet):
    """The city sees every application, a county those filed for it; nobody else any."""


class EnterpriseRegistration(models.Model):
    """单位自助注册申请: filed on the public page, decided by the county the company is registered in."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已批准"
        REFUSED = "refused", "已驳回"

    number = models.CharField("申请编号", max_length=20, unique=True)
    secret_digest = models.CharField(max_length=64, editable=False)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    name = models.CharField("单位名称", max_length=100)
    county = models.ForeignKey(
        Region, verbose_name="注册所在县（市、区）", on_delete=models.PROTECT, related_name="registrations"
    )
    kinds = models.ManyToManyField(EnterpriseKind, verbose_name="单位类别", related_name="+")
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    contact_name = models.CharField("联系人", max_length=50)
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_email = models.EmailField("电子邮箱", blank=True)
    username = models.CharField(
        "申请的登录名", max_length=150, blank=True, help_text="留空则以统一社会信用代码为登录名"
    )
    licence = models.FileField("营业执照扫描件", upload_to=registration_licence_path)
    licence_type = models.CharField(max_length=100, editable=False, default="")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    ip = models.GenericIPAddressField("提交 IP", null=True, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField("驳回理由", blank=True)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name="登记的单位",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    admin_user = models.ForeignKey(
        User, verbose_name="单位管理员账户", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = RegistrationQuerySet.as_manager()

    history = HistoricalRecords(user_db_constraint=False, excluded_fields=["secret_digest"])  # 变更记录 (no secrets)

    class Meta:
        verbose_name = "单位注册申请"
        verbose_name_plural = "单位注册申请"
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"
