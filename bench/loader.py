"""The province-scale synthetic data set, loaded in minutes.

At ``scale=1``: 1 province, 11 cities, 120 counties, ~5,000 enterprises (valid 统一社会信用代码), 100,000 projects
with 3–4 participants each, 1,200,000 monthly project reports (12 per project), 5 years × 12 months of county
submissions for every county with one ItemScore per rubric item (the bulletin lists every item), annual targets,
20,000 award records, 2,000 evaluations (panel of 5 and their score sheets) and 5,000 constraint records.

Rows are generated in Python as tuples (deterministic ``random.Random``) and written with PostgreSQL
``COPY … FROM STDIN`` in chunks of an in-memory text stream; on another database (the SQLite test database)
the same tuples go through ``bulk_create``, so a tiny load can be checked in the unit tests. Primary keys are
assigned here (max(id) + 1 …) so foreign keys need no read-back; the sequences are reset at the end.

Nothing is dropped: constraints and indexes stay in place while loading, so the load also shows what an
import at this size costs with them.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from accounts.models import Enterprise, EnterpriseKind, Region, User
from accounts.seed import DEMO_PASSWORD, make_credit_code
from assessment.models import Adjustment, AnnualTarget, ItemScore, Rubric, Submission
from assessment.seed import seed_rubric
from awards.models import Award, AwardRecord, AwardValue
from credit import scoring
from credit import services as credit_services
from credit.models import CreditEntry, CreditScore, CreditStanding
from evaluation.choices import Element
from evaluation.models import CriteriaTemplate, Evaluation, PanelMember, ScoreSheet
from projects.models import ConstraintRecord, MonthlyReport, Participant, Project

UTC = dt.UTC
NOW = dt.datetime(2024, 1, 15, 8, 0, tzinfo=UTC)
SEED = 20230601

# The eleven prefecture-level cities of 山西省 (太原、大同、晋城 come from accounts.seed_reference).
CITIES = [
    ("太原市", "140100"),
    ("大同市", "140200"),
    ("阳泉市", "140300"),
    ("长治市", "140400"),
    ("晋城市", "140500"),
    ("朔州市", "140600"),
    ("晋中市", "140700"),
    ("运城市", "140800"),
    ("忻州市", "140900"),
    ("临汾市", "141000"),
    ("吕梁市", "141100"),
]
HOME_CITY = "140500"  # 晋城市 keeps its seven real counties

# Enterprise kinds, cycled: builders, contractors (some also EPC), supervisors, designers, surveyors, consultants.
KIND_PATTERN = [
    ("builder",),
    ("builder",),
    ("builder",),
    ("builder",),
    ("builder",),
    ("contractor",),
    ("contractor",),
    ("contractor",),
    ("contractor", "epc"),
    ("contractor", "epc"),
    ("supervisor",),
    ("supervisor",),
    ("supervisor", "consultant"),
    ("design",),
    ("design",),
    ("design", "survey"),
    ("survey",),
    ("consultant",),
    ("contractor",),
    ("builder",),
]
KIND_SUFFIX = {
    "builder": "城市建设投资有限公司",
    "contractor": "建筑工程有限公司",
    "supervisor": "工程监理有限公司",
    "design": "建筑设计研究院有限公司",
    "survey": "勘察测绘有限公司",
    "consultant": "全过程工程咨询有限公司",
}
CATEGORIES = ["building", "municipal", "habitat", "landscape"]
CATEGORY_LABEL = {
    "building": "住宅楼",
    "municipal": "道路改造工程",
    "habitat": "老旧小区改造",
    "landscape": "公园绿化工程",
}
CATEGORY_WEIGHTS = [55, 20, 15, 10]
STAGES = ["cultivation", "planning", "design", "tender", "construction", "acceptance", "operation"]
STAGE_WEIGHTS = [10, 8, 8, 8, 40, 16, 10]
AWARD_WEIGHTS = {
    "danhe": 35,
    "shiyou": 20,
    "jueshan": 15,
    "shengyou": 12,
    "fenshui": 6,
    "shengyou_single": 5,
    "guoyou": 3,
    "guoyou_single": 2,
    "luban": 2,
}
INSURANCE_ROLES = {"contractor", "epc", "supervisor", "design", "survey"}


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind; ``Plan.for_scale(1)`` is the province."""

    scale: float = 1.0
    enterprises: int = 5_000
    projects: int = 100_000
    reports_per_project: int = 12
    award_records: int = 20_000
    evaluations: int = 2_000
    constraint_records: int = 5_000
    credit_entries: int = 100_000
    counties: int = 120
    provinces: int = 1  # beyond 1: the counties are spread over that many provinces (31 = the national scale)
    years: tuple[int, ...] = (2019, 2020, 2021, 2022, 2023)
    experts: int = 40
    panel_size: int = 5

    @classmethod
    def for_scale(cls, scale: float, **overrides) -> Plan:
        base = cls()

        def n(value: int, minimum: int) -> int:
            return max(minimum, round(value * scale))

        plan = replace(
            base,
            scale=scale,
            enterprises=n(base.enterprises, 40),
            projects=n(base.projects, 20),
            award_records=n(base.award_records, 5),
            evaluations=n(base.evaluations, 5),
            constraint_records=n(base.constraint_records, 5),
            credit_entries=n(base.credit_entries, 50),
        )
        return replace(plan, **overrides)

    @property
    def monthly_reports(self) -> int:
        return self.projects * self.reports_per_project

    def as_dict(self) -> dict:
        return {**asdict(self), "monthly_reports": self.monthly_reports}


# --------------------------------------------------------------------------------------------------
# Writing rows: COPY on PostgreSQL, bulk_create elsewhere
# --------------------------------------------------------------------------------------------------
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return value.translate(_ESCAPES)
    if kind in (dict, list):
        return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
    return str(value).translate(_ESCAPES)


def _default_for(f: models.Field):
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return NOW
    return f.get_default()


@dataclass
class TableLoad:
    table: str
    rows: int
    seconds: float


@dataclass
class Writer:
    """Writes tuples (in ``fields`` order) into a model's table; the other columns get their defaults."""

    chunk_rows: int = 100_000
    log: Callable[[str], None] = print
    loads: list[TableLoad] = field(default_factory=list)

    @property
    def is_postgres(self) -> bool:
        return connection.vendor == "postgresql"

    def write(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple]) -> int:
        started = time.perf_counter()
        concrete = [f for f in model._meta.concrete_fields]
        by_attname = {f.attname: f for f in concrete}
        unknown = [name for name in fields if name not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__}: unknown columns {unknown}")
        rest = [f for f in concrete if f.attname not in fields]
        if self.is_postgres:
            count = self._copy(model, fields, rest, rows)
        else:
            count = self._bulk_create(model, fields, rest, rows)
        seconds = time.perf_counter() - started
        self.loads.append(TableLoad(model._meta.db_table, count, seconds))
        rate = count / seconds if seconds else 0
        self.log(f"  {model._meta.db_table:<38} {count:>10,} rows  {seconds:8.1f} s  ({rate:,.0f} rows/s)")
        return count

    def _copy(self, model, fields, rest, rows) -> int:
        qn = connection.ops.quote_name
        columns = ", ".join(qn(name) for name in [*fields, *(f.column for f in rest)])
        suffix = "".join("\t" + _copy_text(_default_for(f)) for f in rest) + "\n"
        sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
        connection.ensure_connection()
        raw = connection.connection
        count = 0
        lines: list[str] = []
        fmt = _copy_text

        def flush():
            if not lines:
                return
            buffer = io.StringIO("".join(lines))
            with raw.cursor() as cursor:  # autocommit outside atomic(); inside, the caller's transaction
                cursor.copy_expert(sql, buffer)
            lines.clear()

        for row in rows:
            lines.append("\t".join([fmt(v) for v in row]) + suffix)
            count += 1
            if len(lines) >= self.chunk_rows:
                flush()
        flush()
        return count

    def _bulk_create(self, model, fields, rest, rows) -> int:
        defaults = {f.attname: _default_for(f) for f in rest}
        batch, count = [], 0
        for row in rows:
            batch.append(model(**defaults, **dict(zip(fields, row, strict=True))))
            count += 1
            if len(batch) >= 5_000:
                model.objects.bulk_create(batch)
                batch.clear()
        if batch:
            model.objects.bulk_create(batch)
        return count


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(model_list) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --------------------------------------------------------------------------------------------------
# The loader
# --------------------------------------------------------------------------------------------------
def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _cut2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_DOWN)


class Loader:
    """Generates and writes the data set of a :class:`Plan`. Use :func:`load`."""

    def __init__(self, plan: Plan, log: Callable[[str], None] = print):
        self.plan = plan
        self.log = log
        self.rng = random.Random(SEED)
        self.writer = Writer(log=log)

    # --- organisation ---------------------------------------------------------------------------
    def regions(self) -> None:
        started = time.perf_counter()
        province = Region.objects.get(code="140000")
        cities = {}
        for order, (name, code) in enumerate(CITIES, start=1):
            city, _ = Region.objects.get_or_create(
                code=code, defaults={"name": name, "level": Region.Level.CITY, "parent": province, "order": order}
            )
            cities[code] = city
        others = [cities[code] for _, code in CITIES if code != HOME_CITY]
        # National scale: 30 more provinces of 10 cities each; the new counties are dealt out over every city of
        # every province (晋城市 keeps its seven), so each province holds about counties / provinces of them.
        for p in range(1, self.plan.provinces):
            prov_code = f"{60 + p:02d}0000"
            prov, _ = Region.objects.get_or_create(
                code=prov_code,
                defaults={"name": f"第{p:02d}省", "level": Region.Level.PROVINCE, "order": 100 + p},
            )
            for c in range(1, 11):
                city, _ = Region.objects.get_or_create(
                    code=f"{60 + p:02d}{c:02d}00",
                    defaults={"name": f"{p:02d}省{c:02d}市", "level": Region.Level.CITY, "parent": prov, "order": c},
                )
                others.append(city)
        existing = Region.objects.filter(level=Region.Level.COUNTY).count()
        serial = {c.pk: Region.objects.filter(parent=c).count() for c in others}
        new = []
        for i in range(max(0, self.plan.counties - existing)):
            city = others[i % len(others)]
            serial[city.pk] += 1
            k = serial[city.pk]
            new.append(
                Region(
                    name=f"{city.name[:-1]}{k:02d}区",
                    code=f"{city.code[:4]}{k:02d}",
                    level=Region.Level.COUNTY,
                    parent=city,
                    order=k,
                )
            )
        Region.objects.bulk_create(new)
        self.counties = list(
            Region.objects.filter(level=Region.Level.COUNTY).order_by("order", "code").values("id", "name", "code")
        )[: self.plan.counties]
        self.city = cities[HOME_CITY]
        provinces = Region.objects.filter(level=Region.Level.PROVINCE).count()
        self.writer.loads.append(TableLoad(Region._meta.db_table, len(new), time.perf_counter() - started))
        self.log(
            f"  {Region._meta.db_table:<38} {len(new):>10,} rows "
            f"(counties now {len(self.counties)} in {provinces} province(s))"
        )

    def enterprises(self) -> None:
        rng, n = self.rng, self.plan.enterprises
        first = _next_id(Enterprise)
        self.pools: dict[str, list[int]] = {k: [] for k in KIND_SUFFIX} | {"epc": []}
        self.enterprise_ids = []
        kinds_rows = []

        def rows():
            for i in range(n):
                pk = first + i
                kinds = KIND_PATTERN[i % len(KIND_PATTERN)]
                county = self.counties[rng.randrange(len(self.counties))]
                for kind in kinds:
                    self.pools[kind].append(pk)
                    kinds_rows.append((pk, kind))
                self.enterprise_ids.append(pk)
                yield (
                    pk,
                    f"{county['name']}第{i + 1}{KIND_SUFFIX[kinds[0]]}",
                    make_credit_code(100_000 + i),
                    county["id"],
                    f"法人{i % 997}",
                    f"0356-{2000000 + i}",
                    f"{county['name']}建设路{i % 300 + 1}号",
                    NOW,
                )

        self.writer.write(
            Enterprise,
            [
                "id",
                "name",
                "credit_code",
                "region_id",
                "legal_representative",
                "contact_phone",
                "address",
                "created_at",
            ],
            rows(),
        )
        through = Enterprise.kinds.through
        first_link = _next_id(through)
        self.writer.write(
            through,
            ["id", "enterprise_id", "enterprisekind_id"],
            ((first_link + i, ent, kind) for i, (ent, kind) in enumerate(kinds_rows)),
        )

    def users(self) -> None:
        password = make_password(DEMO_PASSWORD)
        existing = set(User.objects.filter(username__startswith="bench_").values_list("username", flat=True))
        rng = self.rng
        users = [
            User(
                username="bench_admin",
                name="压测市局管理员",
                role=User.Role.CITY_ADMIN,
                region=self.city,
                password=password,
            )
        ]
        for c in self.counties:
            users.append(
                User(
                    username=f"bench_{c['code']}",
                    name=f"{c['name']}工作人员",
                    role=User.Role.COUNTY_STAFF,
                    region_id=c["id"],
                    password=password,
                )
            )
        expert_employers = self.pools["design"] + self.pools["supervisor"]
        for i in range(self.plan.experts):
            users.append(
                User(
                    username=f"bench_expert{i + 1}",
                    name=f"评审专家{i + 1}",
                    role=User.Role.EXPERT,
                    enterprise_id=expert_employers[rng.randrange(len(expert_employers))],
                    password=password,
                )
            )
        for i, ent in enumerate(self.pools["contractor"][:20]):
            users.append(
                User(
                    username=f"bench_unit{i + 1}",
                    name=f"项目部{i + 1}",
                    role=User.Role.UNIT_USER,
                    enterprise_id=ent,
                    password=password,
                )
            )
        new = [u for u in users if u.username not in existing]
        User.objects.bulk_create(new)
        self.log(f"  {User._meta.db_table:<38} {len(new):>10,} rows")
        self.admin_id = User.objects.get(username="bench_admin").pk
        self.expert_ids = list(
            User.objects.filter(username__startswith="bench_expert").order_by("pk").values_list("pk", flat=True)
        )

    # --- projects -------------------------------------------------------------------------------
    def projects(self) -> None:
        rng, plan = self.rng, self.plan
        first = _next_id(Project)
        years = plan.years
        self.project_first = first
        self.p_year, self.p_category, self.p_builder, self.p_contractor, self.p_bim = [], [], [], [], []
        self.p_county = []
        counties = self.counties
        county_weights = [1 + (i * 7919) % 5 for i in range(len(counties))]  # 1..5: counties differ in size
        cum_county = list(_cumulative(county_weights))
        cum_category = list(_cumulative(CATEGORY_WEIGHTS))
        cum_stage = list(_cumulative(STAGE_WEIGHTS))

        def rows():
            for i in range(plan.projects):
                pk = first + i
                county = rng.choices(counties, cum_weights=cum_county)[0]
                year = years[rng.randrange(len(years))]
                category = rng.choices(CATEGORIES, cum_weights=cum_category)[0]
                r = rng.random()
                delivery = "general" if r < 0.75 else ("epc" if r < 0.9 else "consulting")
                prefab = category == "building" and rng.random() < 0.35
                bim = rng.random() < 0.3
                j = rng.random()
                status = (
                    "none" if j < 0.88 else "cultivating" if j < 0.95 else "certified" if j < 0.99 else "demonstration"
                )
                start = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
                self.p_year.append(year)
                self.p_category.append(category)
                self.p_bim.append(bim)
                self.p_county.append(county["id"])
                self.p_deliveries.append(delivery)
                yield (
                    pk,
                    f"JP{year}-{county['code']}-{i + 1:06d}",
                    f"{county['name']}{CATEGORY_LABEL[category]}{i + 1}号",
                    county["id"],
                    year,
                    category,
                    rng.random() < 0.35,
                    _money(rng.randint(50_000, 200_000_000)),
                    _money(rng.randint(200_000, 20_000_000)) if category == "building" else None,
                    None if category == "building" else _money(rng.randint(10_000, 500_000)),
                    start,
                    start + dt.timedelta(days=rng.randint(300, 1100)),
                    delivery,
                    bim,
                    prefab,
                    f"{rng.randint(20, 60)}.00" if prefab else None,
                    rng.choices(STAGES, cum_weights=cum_stage)[0],
                    status,
                    status == "demonstration",
                    self.admin_id,
                    NOW,
                    NOW,
                )

        self.p_deliveries: list[str] = []
        self.writer.write(
            Project,
            [
                "id",
                "code",
                "name",
                "county_id",
                "year",
                "category",
                "government_invested",
                "total_investment",
                "floor_area",
                "length",
                "planned_start",
                "planned_completion",
                "delivery_mode",
                "bim_applied",
                "prefabricated",
                "prefab_rate",
                "stage",
                "jingpin_status",
                "priority_recommended",
                "created_by_id",
                "created_at",
                "updated_at",
            ],
            rows(),
        )

    def participants(self) -> None:
        rng, pools = self.rng, self.pools
        first = _next_id(Participant)
        self.participant_first = first
        counter = [0]

        def pick(role):
            pool = pools[role]
            return pool[rng.randrange(len(pool))]

        def rows():
            pk = first
            for i in range(self.plan.projects):
                project = self.project_first + i
                year = self.p_year[i]
                general = "epc" if self.p_deliveries[i] == "epc" else "contractor"
                roles = ["builder", general, "supervisor"] + (["design"] if rng.random() < 0.5 else [])
                for role in roles:
                    ent = pick(role)
                    if role == "builder":
                        self.p_builder.append(ent)
                    elif role == general:
                        self.p_contractor.append(ent)
                    insured = role in INSURANCE_ROLES
                    r = rng.random()
                    valid = None
                    if insured and r >= 0.03:
                        valid = dt.date(year + 3, 12, 31) if r >= 0.06 else dt.date(year, 12, 31)
                    yield (
                        pk,
                        project,
                        ent,
                        role,
                        f"负责人{pk % 9973}",
                        "项目经理" if role in ("contractor", "epc") else "",
                        f"PICC{pk:010d}" if valid else "",
                        "中国人民财产保险股份有限公司" if valid else "",
                        valid,
                        dt.date(year, 3, 1),
                        NOW,
                    )
                    pk += 1
            counter[0] = pk - first

        self.writer.write(
            Participant,
            [
                "id",
                "project_id",
                "enterprise_id",
                "role",
                "key_person",
                "key_person_title",
                "insurance_policy_no",
                "insurer",
                "insurance_valid_until",
                "joined_on",
                "created_at",
            ],
            rows(),
        )
        self.participant_count = counter[0]

    def monthly_reports(self) -> None:
        rng, plan = self.rng, self.plan
        first = _next_id(MonthlyReport)
        last_year = plan.years[-1]
        stamp = {}

        def stamps(year, month):
            key = (year, month)
            if key not in stamp:
                stamp[key] = (
                    f"{year}-{month:02d}-05 10:00:00+08:00",
                    f"{year}-{month:02d}-08 15:00:00+08:00",
                )
            return stamp[key]

        def rows():
            pk = first
            per = plan.reports_per_project
            for i in range(plan.projects):
                project = self.project_first + i
                year = self.p_year[i]
                start = 1 if year >= last_year else rng.randint(1, 12)
                building = self.p_category[i] == "building"
                bim = self.p_bim[i]
                county = self.p_county[i]
                for k in range(per):
                    offset = start - 1 + k
                    y, m = year + offset // 12, offset % 12 + 1
                    r = rng.random()
                    status = "accepted" if r < 0.9 else "submitted" if r < 0.95 else "draft" if r < 0.98 else "returned"
                    base = rng.randint(0, 12_000) if building else 0
                    green = base * 6 // 10
                    submitted, reviewed = stamps(y, m)
                    yield (
                        pk,
                        project,
                        county,
                        y,
                        m,
                        status,
                        base,
                        base * 3 // 10,
                        green // 2,
                        green // 4,
                        green // 6,
                        green // 12,
                        base // 5,
                        base // 8 if r < 0.3 else 0,
                        base // 10 if r < 0.2 else 0,
                        bim,
                        "35.50" if building else None,
                        1,
                        None if status == "draft" else submitted,
                        reviewed if status in ("accepted", "returned") else None,
                        "面积与现场不符，请核实。" if status == "returned" else "",
                        NOW,
                        NOW,
                    )
                    pk += 1

        self.writer.write(
            MonthlyReport,
            [
                "id",
                "project_id",
                "county_id",
                "year",
                "month",
                "status",
                "new_start_area",
                "prefab_area",
                "green_area_basic",
                "green_area_one_star",
                "green_area_two_star",
                "green_area_three_star",
                "renewable_area",
                "retrofit_residential_area",
                "retrofit_public_area",
                "bim_applied",
                "green_material_share",
                "version",
                "submitted_at",
                "reviewed_at",
                "return_reason",
                "created_at",
                "updated_at",
            ],
            rows(),
        )

    def constraint_records(self) -> None:
        rng = self.rng
        first = _next_id(ConstraintRecord)
        kinds = ["attendance", "affiliation", "material", "major_change", "other"]

        def rows():
            for i in range(self.plan.constraint_records):
                participant = self.participant_first + rng.randrange(self.participant_count)
                r = rng.random()
                status = "pending" if r < 0.3 else "rectified" if r < 0.9 else "expelled"
                yield (
                    first + i,
                    participant,
                    kinds[i % len(kinds)],
                    dt.date(self.plan.years[rng.randrange(len(self.plan.years))], rng.randint(1, 12), 15),
                    "现场检查发现问题，责令限期整改。",
                    "限期15日内整改到位。",
                    status,
                    self.admin_id,
                    NOW,
                )

        self.writer.write(
            ConstraintRecord,
            [
                "id",
                "participant_id",
                "kind",
                "occurred_on",
                "description",
                "required_action",
                "status",
                "created_by_id",
                "created_at",
            ],
            rows(),
        )

    # --- assessment -----------------------------------------------------------------------------
    def assessment(self) -> None:
        rng, plan = self.rng, self.plan
        started = time.perf_counter()
        rubrics = {}
        for year in plan.years:
            rubric = seed_rubric(year)
            rubrics[year] = (rubric.pk, [(i.pk, i.max_points) for i in rubric.items.order_by("order")])
        if not Rubric.objects.filter(pk__in=[r[0] for r in rubrics.values()], frozen_at__isnull=False).exists():
            Rubric.objects.filter(pk__in=[r[0] for r in rubrics.values()]).update(frozen_at=NOW)
        self.log(f"  rubrics for {list(rubrics)} ready ({time.perf_counter() - started:.1f} s)")

        first_target = _next_id(AnnualTarget)
        seeded_targets = set(AnnualTarget.objects.values_list("county_id", "year"))  # seed_reference: 2023 晋城
        self.writer.write(
            AnnualTarget,
            [
                "id",
                "county_id",
                "year",
                "retrofit_residential_area",
                "retrofit_public_area",
                "green_ratio",
                "innovation_projects",
                "sci_tech_registrations",
            ],
            (
                (first_target + n, c["id"], year, f"{5 + n % 7}.00", f"{1 + n % 3}.00", "80.00", 1, 1)
                for n, (year, c) in enumerate(
                    (y, c) for y in plan.years for c in self.counties if (c["id"], y) not in seeded_targets
                )
            ),
        )

        first_sub = _next_id(Submission)
        first_score = _next_id(ItemScore)
        first_adj = _next_id(Adjustment)
        score_rows: list[tuple] = []
        adjustments: list[tuple] = []
        options = {}
        for _year, (_rid, items) in rubrics.items():
            for item_id, max_points in items:
                options[item_id] = (max_points, _cut2(max_points / 2), Decimal("0.00"))

        def submissions():
            pk = first_sub
            score_pk = first_score
            for year in plan.years:
                rubric_id, items = rubrics[year]
                for month in range(1, 13):
                    for c in self.counties:
                        total = Decimal("0.00")
                        for item_id, _max in items:
                            r = rng.random()
                            full, half, zero = options[item_id]
                            score = full if r < 0.6 else half if r < 0.85 else zero
                            total += score
                            score_rows.append((score_pk, pk, item_id, score, "按报送数据计算", True, False))
                            score_pk += 1
                        late = rng.random() < 0.02
                        adj = Decimal("0.00")
                        if rng.random() < 0.01:
                            adj = Decimal(("1.00", "0.50", "-0.50", "-1.00")[rng.randrange(4)])
                            adjustments.append(
                                (
                                    first_adj + len(adjustments),
                                    pk,
                                    adj,
                                    "行政绩效加减分（压测数据）",
                                    self.admin_id,
                                    NOW,
                                )
                            )
                        score = Decimal("0.00") if late else max(Decimal("0.00"), total + adj)
                        day = 22 if late else 10 + rng.randrange(10)
                        sent = f"{year}-{month:02d}-{day:02d} 16:30:00+08:00"
                        base = rng.randint(50, 400)
                        yield (
                            pk,
                            c["id"],
                            year,
                            month,
                            rubric_id,
                            "published",
                            _money(base * month * 10),
                            _money(base * month * 4),
                            _money(base * month),
                            _money(base * month // 3),
                            _money(base * month * 7),
                            _money(base * month * 3),
                            _money(base * month * 3),
                            True,
                            True,
                            True,
                            True,
                            rng.random() < 0.9,
                            rng.random() < 0.9,
                            rng.random() < 0.8,
                            True,
                            month >= 8,
                            total,
                            sent,
                            sent,
                            late,
                            "逾期报送，当月得0分" if late else "",
                            total,
                            adj,
                            score,
                            f"{year}-{month:02d}-25 09:00:00+08:00",
                            f"{year}-{month:02d}-28 09:00:00+08:00",
                            self.admin_id,
                            NOW,
                            NOW,
                        )
                        pk += 1

        self.writer.write(
            Submission,
            [
                "id",
                "county_id",
                "year",
                "month",
                "rubric_id",
                "status",
                "new_building_area",
                "renewable_area",
                "retrofit_residential_area",
                "retrofit_public_area",
                "green_area_accepted",
                "green_area_star_rated",
                "prefab_area",
                "energy_standard_full",
                "no_unrectified_findings",
                "residential_in_reserve",
                "public_in_reserve",
                "green_standard_all",
                "star_design_filed",
                "bim_met",
                "rd_ledger_submitted",
                "sci_tech_met",
                "self_score",
                "first_submitted_at",
                "last_submitted_at",
                "is_late",
                "late_reason",
                "items_total",
                "adjustments_total",
                "score",
                "approved_at",
                "published_at",
                "approved_by_id",
                "created_at",
                "updated_at",
            ],
            submissions(),
        )
        self.writer.write(
            ItemScore,
            ["id", "submission_id", "item_id", "score", "explanation", "applicable", "evidence_missing"],
            score_rows,
        )
        self.writer.write(
            Adjustment, ["id", "submission_id", "points", "reason", "created_by_id", "created_at"], adjustments
        )

    # --- awards and evaluations -----------------------------------------------------------------
    def awards(self) -> None:
        rng, plan = self.rng, self.plan
        awards = {a.code: a for a in Award.objects.all()}
        values = {v.award_id: v for v in AwardValue.objects.order_by("award_id", "-effective_from")[::-1]}
        codes = [c for c in AWARD_WEIGHTS if c in awards]
        cum = list(_cumulative([AWARD_WEIGHTS[c] for c in codes]))
        first = _next_id(AwardRecord)
        last_year = plan.years[-1]
        chosen = rng.sample(range(plan.projects), min(plan.award_records, plan.projects))

        def rows():
            for n, i in enumerate(chosen):
                award = awards[rng.choices(codes, cum_weights=cum)[0]]
                value = values[award.pk]
                year = min(self.p_year[i] + rng.randint(0, 1), last_year)
                yield (
                    first + n,
                    self.project_first + i,
                    award.pk,
                    year,
                    dt.date(year, rng.randint(3, 12), rng.randint(1, 28)),
                    f"晋建质字〔{year}〕{n % 500 + 1}号",
                    self.p_contractor[i],
                    self.p_builder[i],
                    value.points,
                    value.bonus_wan,
                    value.pk,
                    self.admin_id,
                    NOW,
                )

        self.writer.write(
            AwardRecord,
            [
                "id",
                "project_id",
                "award_id",
                "year",
                "grant_date",
                "document_no",
                "contractor_id",
                "builder_id",
                "points",
                "bonus_wan",
                "catalogue_value_id",
                "created_by_id",
                "created_at",
            ],
            rows(),
        )

    def evaluations(self) -> None:
        rng, plan = self.rng, self.plan
        templates = {}
        for t in CriteriaTemplate.objects.order_by("category", "-version"):
            templates.setdefault(t.category, t.pk)
        first = _next_id(Evaluation)
        chosen = rng.sample(range(plan.projects), min(plan.evaluations, plan.projects))
        last_year = plan.years[-1]
        meta = []

        def rows():
            for n, i in enumerate(chosen):
                year = min(self.p_year[i] + 1, last_year)
                closed = rng.random() < 0.9
                total = Decimal(rng.randint(7000, 9800)) / 100
                passed = closed and total >= 85
                panel = rng.sample(self.expert_ids, min(plan.panel_size, len(self.expert_ids)))
                meta.append((first + n, closed, total, panel, year))
                elements = {e.value: f"{total * Decimal('0.15'):.2f}" for e in Element}
                yield (
                    first + n,
                    self.project_first + i,
                    templates[self.p_category[i]],
                    year,
                    dt.date(year, 10, 31),
                    "closed" if closed else "open",
                    self.admin_id,
                    NOW,
                    self.admin_id if closed else None,
                    NOW if closed else None,
                    ("passed" if passed else "failed") if closed else "",
                    total if closed else None,
                    elements if closed else {},
                    [] if passed or not closed else ["总分低于通过分数线85分"],
                    total if closed else None,
                    Decimal("85.00") if closed else None,
                    passed and rng.random() < 0.1,
                )

        self.writer.write(
            Evaluation,
            [
                "id",
                "project_id",
                "template_id",
                "year",
                "due_date",
                "status",
                "opened_by_id",
                "opened_at",
                "closed_by_id",
                "closed_at",
                "result",
                "total_score",
                "element_scores",
                "fail_reasons",
                "median_total",
                "pass_threshold",
                "demonstration",
            ],
            rows(),
        )
        first_member, first_sheet = _next_id(PanelMember), _next_id(ScoreSheet)
        members, sheets = [], []
        for evaluation, closed, total, panel, year in meta:
            for expert in panel:
                members.append((first_member + len(members), evaluation, expert, self.admin_id, NOW))
                sheets.append(
                    (
                        first_sheet + len(sheets),
                        evaluation,
                        expert,
                        "submitted" if closed else "draft",
                        total if closed else Decimal("0.00"),
                        f"{year}-10-20 10:00:00+08:00" if closed else None,
                        NOW,
                        NOW,
                    )
                )
        self.writer.write(PanelMember, ["id", "evaluation_id", "expert_id", "assigned_by_id", "assigned_at"], members)
        self.writer.write(
            ScoreSheet,
            ["id", "evaluation_id", "expert_id", "status", "total", "submitted_at", "created_at", "updated_at"],
            sheets,
        )

    # --- all ------------------------------------------------------------------------------------
    # --- 诚信档案 -------------------------------------------------------------------------------------
    # behaviour: (weight, source type); points and validity from the default rule (awards: a catalogue value)
    CREDIT_MIX = {
        "award": (15, "award"),
        "jingpin": (5, "evaluation"),
        "demonstration": (2, "evaluation"),
        "green_pilot": (10, "green_pilot"),
        "on_time_rectification": (25, "notice"),
        "constraint_minor": (10, "constraint"),
        "constraint_serious": (5, "constraint"),
        "constraint_major": (2, "constraint"),
        "notice_escalated": (8, "notice"),
        "penalty": (6, "notice"),
        "complaint": (8, "complaint"),
        "insurance": (4, "insurance"),
    }
    CREDIT_HISTORY_DAYS = (dt.date(2023, 7, 1), dt.date(2023, 10, 1), NOW.date())

    def credit(self) -> None:
        """``credit_entries`` entries spread over the enterprises (a few with many), then the scores as the nightly
        job would have kept them on three days (history rows and the current standing)."""
        rng, plan = self.rng, self.plan
        rule_row = credit_services.current_rule(NOW.date())
        rule = rule_row.to_rule()
        behaviours = list(self.CREDIT_MIX)
        cum = list(_cumulative([self.CREDIT_MIX[b][0] for b in behaviours]))
        catalogue = [Decimal(p) for p in (10, 8, 5, 7, 3, 3, 2, 2)]
        first = _next_id(CreditEntry)
        start = dt.date(plan.years[0], 1, 1)
        span = (NOW.date() - start).days
        severities = {"constraint_minor": "minor", "constraint_serious": "serious", "constraint_major": "major"}

        def rows():
            for n in range(plan.credit_entries):
                behaviour = rng.choices(behaviours, cum_weights=cum)[0]
                # every 50th enterprise is a large one with many entries
                enterprise = self.enterprise_ids[
                    rng.randrange(0, len(self.enterprise_ids), 50 if rng.random() < 0.2 else 1)
                ]
                i = rng.randrange(plan.projects)
                occurred = start + dt.timedelta(days=rng.randrange(span + 1))
                catalogue_points = catalogue[rng.randrange(len(catalogue))] if behaviour == "award" else None
                bad = behaviour in scoring.BAD
                withdrawn = occurred + dt.timedelta(days=30) if bad and rng.random() < 0.01 else None
                yield (
                    first + n,
                    enterprise,
                    behaviour,
                    "bad" if bad else "good",
                    severities.get(behaviour, ""),
                    f"{scoring.BEHAVIOUR_LABELS[behaviour]} · 压测项目{i + 1}",
                    f"晋建〔{occurred.year}〕{n % 900 + 1}号" if behaviour in ("award", "penalty") else "",
                    occurred,
                    scoring.valid_until(occurred, rule.months(behaviour)),
                    catalogue_points,
                    rule.points(behaviour, catalogue_points),
                    rule_row.pk,
                    self.project_first + i,
                    self.p_county[i],
                    self.CREDIT_MIX[behaviour][1],
                    first + n,
                    f"/projects/{self.project_first + i}/",
                    withdrawn if withdrawn and withdrawn <= NOW.date() else None,
                    "经核查撤销" if withdrawn and withdrawn <= NOW.date() else "",
                    NOW,
                    NOW,
                )

        self.writer.write(
            CreditEntry,
            [
                "id",
                "enterprise_id",
                "behaviour",
                "polarity",
                "severity",
                "title",
                "document_no",
                "occurred_on",
                "valid_until",
                "catalogue_points",
                "points",
                "rule_id",
                "project_id",
                "county_id",
                "source_type",
                "source_id",
                "source_url",
                "withdrawn_on",
                "withdrawn_reason",
                "created_at",
                "updated_at",
            ],
            rows(),
        )
        started = time.perf_counter()
        for day in self.CREDIT_HISTORY_DAYS:
            credit_services.rescore_all(day)
        seconds = time.perf_counter() - started
        self.writer.loads.append(TableLoad("credit_creditscore (rescore_all ×3)", CreditScore.objects.count(), seconds))
        self.log(f"  {'credit scores (rescore_all ×3)':<38} {CreditScore.objects.count():>10,}       {seconds:8.1f} s")

    def run(self) -> list[TableLoad]:
        steps = [
            self.regions,
            self.enterprises,
            self.users,
            self.projects,
            self.participants,
            self.monthly_reports,
            self.constraint_records,
            self.assessment,
            self.awards,
            self.evaluations,
            self.credit,
        ]
        for step in steps:
            step()
        reset_sequences(LOADED_MODELS)
        if connection.vendor == "postgresql":
            # Fresh statistics (and the visibility map, for index-only counts); VACUUM only outside a transaction.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(command)
            seconds = time.perf_counter() - started
            self.writer.loads.append(TableLoad(f"({command})", 0, seconds))
            self.log(f"  {command:<38} {'':>10}       {seconds:8.1f} s")
        return self.writer.loads


LOADED_MODELS = [
    Region,
    Enterprise,
    Enterprise.kinds.through,
    User,
    Project,
    Participant,
    MonthlyReport,
    ConstraintRecord,
    AnnualTarget,
    Submission,
    ItemScore,
    Adjustment,
    AwardRecord,
    Evaluation,
    PanelMember,
    ScoreSheet,
    CreditEntry,
    CreditScore,
]
# Models whose row counts describe the data set (what the idempotency check compares).
COUNTED_MODELS = {
    "regions": Region,
    "enterprises": Enterprise,
    "enterprise_kinds": Enterprise.kinds.through,
    "users": User,
    "projects": Project,
    "participants": Participant,
    "monthly_reports": MonthlyReport,
    "constraint_records": ConstraintRecord,
    "annual_targets": AnnualTarget,
    "submissions": Submission,
    "item_scores": ItemScore,
    "adjustments": Adjustment,
    "award_records": AwardRecord,
    "evaluations": Evaluation,
    "panel_members": PanelMember,
    "score_sheets": ScoreSheet,
    "credit_entries": CreditEntry,
    "credit_standings": CreditStanding,
}


def row_counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED_MODELS.items()}


def expected_counts(plan: Plan) -> dict[str, int]:
    """The rows the plan adds (exact where the plan fixes them; participants and adjustments are random)."""
    return {
        "projects": plan.projects,
        "monthly_reports": plan.monthly_reports,
        "enterprises": plan.enterprises,
        "award_records": min(plan.award_records, plan.projects),
        "evaluations": min(plan.evaluations, plan.projects),
        "constraint_records": plan.constraint_records,
        "submissions": plan.counties * 12 * len(plan.years),
        "panel_members": min(plan.evaluations, plan.projects) * plan.panel_size,
        "credit_entries": plan.credit_entries,
    }


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def load(plan: Plan, log: Callable[[str], None] = print) -> list[TableLoad]:
    """Load the plan's data set into the current database (reference data must be seeded)."""
    if not EnterpriseKind.objects.exists():
        raise RuntimeError("单位类别缺失：请先运行 migrate 和 seed_reference。")
    return Loader(plan, log=log).run()
