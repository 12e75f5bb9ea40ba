"""Regions (reference) and the demo organisation: enterprises of every kind, one user per role."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Enterprise, EnterpriseKind, Region, User
from core.validators import credit_code_check_char

DEMO_PASSWORD = "Jingpin@2026"

# 晋城市 and its seven county-level units, in the seed's order (seed 002 附件1).
COUNTIES = [
    ("城区", "140502", "chengqu"),
    ("开发区", "140571", "kaifaqu"),
    ("泽州县", "140525", "zezhou"),
    ("高平市", "140581", "gaoping"),
    ("阳城县", "140522", "yangcheng"),
    ("陵川县", "140524", "lingchuan"),
    ("沁水县", "140521", "qinshui"),
]


def seed_reference(out) -> None:
    EnterpriseKind.ensure_all()
    province, _ = Region.objects.update_or_create(
        code="140000", defaults={"name": "山西省", "level": Region.Level.PROVINCE, "prefab_target_ratio": Decimal("24")}
    )
    # 太原、大同 carry the higher prefabricated target (34 %) of seed 002.
    for name, code, order, ratio in (("太原市", "140100", 1, "34"), ("大同市", "140200", 2, "34")):
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "level": Region.Level.CITY,
                "parent": province,
                "order": order,
                "prefab_target_ratio": Decimal(ratio),
            },
        )
    city, _ = Region.objects.update_or_create(
        code="140500",
        defaults={
            "name": "晋城市",
            "level": Region.Level.CITY,
            "parent": province,
            "order": 5,
            "prefab_target_ratio": Decimal("24"),
        },
    )
    for order, (name, code, _login) in enumerate(COUNTIES, start=1):
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": city, "order": order}
        )


def make_credit_code(serial: int, area: str = "140500") -> str:
    """A valid 统一社会信用代码 for demo data (登记管理部门 9 工商, 机构类别 1 企业)."""
    first17 = f"91{area}MA0{serial:06d}"
    return first17 + credit_code_check_char(first17)


# (name, kinds, county index or None)
DEMO_ENTERPRISES = [
    ("晋城市城市建设投资有限公司", ["builder"], 0),
    ("泽州县城乡建设开发有限公司", ["builder"], 2),
    ("高平市城市投资建设集团有限公司", ["builder"], 3),
    ("阳城县国有资本投资运营有限公司", ["builder"], 4),
    ("陵川县城市建设发展有限公司", ["builder"], 5),
    ("沁水县城乡投资有限公司", ["builder"], 6),
    ("晋城经济技术开发区建设投资有限公司", ["builder"], 1),
    ("山西省晋城市勘察测绘院有限公司", ["survey"], 0),
    ("晋城市建筑勘察设计院有限公司", ["design", "survey"], 0),
    ("山西凤凰城市规划设计有限公司", ["design"], None),
    ("山西建设投资集团有限公司晋城分公司", ["contractor", "epc"], None),
    ("晋城市太行建筑工程有限公司", ["contractor"], 0),
    ("泽州县丹河建筑安装有限公司", ["contractor"], 2),
    ("高平市长平建设集团有限公司", ["contractor", "epc"], 3),
    ("阳城县析城建筑工程有限公司", ["contractor"], 4),
    ("山西华晋工程总承包有限公司", ["epc"], None),
    ("晋城市诚信建设监理有限公司", ["supervisor"], 0),
    ("山西卓越工程监理有限公司", ["supervisor"], None),
    ("晋城市正达全过程工程咨询有限公司", ["consultant", "supervisor"], 0),
]


def seed_demo(out) -> None:
    counties = list(Region.objects.filter(level=Region.Level.COUNTY, parent__code="140500").order_by("order"))
    city = Region.objects.get(code="140500")
    kinds = {k.code: k for k in EnterpriseKind.objects.all()}
    enterprises = []
    for serial, (name, kind_codes, county_idx) in enumerate(DEMO_ENTERPRISES, start=1):
        enterprise, _ = Enterprise.objects.update_or_create(
            name=name,
            defaults={
                "credit_code": make_credit_code(serial),
                "region": counties[county_idx] if county_idx is not None else city,
                "legal_representative": "",
            },
        )
        enterprise.kinds.set([kinds[c] for c in kind_codes])
        enterprises.append(enterprise)

    def user(username, role, name, region=None, enterprise=None, **extra):
        obj, created = User.objects.get_or_create(
            username=username,
            defaults={"role": role, "name": name, "region": region, "enterprise": enterprise, **extra},
        )
        if created:
            obj.set_password(DEMO_PASSWORD)
            obj.save()
        return obj

    user("admin", User.Role.CITY_ADMIN, "市局管理员", region=city, is_staff=True, is_superuser=True)
    user("city", User.Role.CITY_ADMIN, "市局科员（王）", region=city)
    for county, (_, _, login) in zip(counties, COUNTIES, strict=True):
        user(login, User.Role.COUNTY_STAFF, f"{county.name}住建局工作人员", region=county)
    expert_employers = [enterprises[8], enterprises[16], enterprises[9], None, enterprises[17], None]
    for i, employer in enumerate(expert_employers, start=1):
        user(f"expert{i}", User.Role.EXPERT, f"评审专家{i}", enterprise=employer)
    user("unit_taihang", User.Role.UNIT_USER, "太行建筑项目部", enterprise=enterprises[11], is_enterprise_admin=True)
    user("unit_sjjt", User.Role.UNIT_USER, "山西建投晋城分公司", enterprise=enterprises[10])
    user("unit_changping", User.Role.UNIT_USER, "长平建设项目部", enterprise=enterprises[13])
    user("unit_chengtou", User.Role.UNIT_USER, "城投公司基建处", enterprise=enterprises[0])


def demo_summary(out) -> None:
    """Printed after ``seed_demo``: the demo accounts and their password."""
    out.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
    out.write(f"{'用户名':<16}{'角色':<12}所属")
    for u in User.objects.select_related("region", "enterprise").order_by("role", "username"):
        where = u.region.name if u.region_id else (u.enterprise.name if u.enterprise_id else "")
        out.write(f"{u.username:<18}{u.get_role_display():<10}{where}")
