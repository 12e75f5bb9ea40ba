"""The province-scale synthetic data set, loaded in minutes.

At ``scale=1``: 1 province, 11 cities, 120 counties, ~5,000 enterprises (valid 统一社会信用代码), 100,000 projects
with 3–4 participants each, 1,200,000 monthly project reports (12 per project), 5 years × 12 months of county
submissions for every county with one ItemScore per rubric item (the bulletin lists every item), annual targets,
20,000 award records, 2,000 evaluations (panel of 5 and their score sheets) and 5,000 constraint records; then the
tables of the last round (``EXTRA_SECTIONS``): 1,200 more users, 20,000 complaints with their handling steps and
2,000 to-dos, the four milestones of every project (400,000) and the city's goal rules of the last two years, which
``python -m bench`` also loads on their own into a data set loaded before them.

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
from django.db.models import Count, Max

from accounts.models import Enterprise, EnterpriseKind, Region, User
from accounts.seed import DEMO_PASSWORD, make_credit_code
from assessment.models import Adjustment, AnnualTarget, ItemScore, Rubric, Submission
from assessment.seed import seed_rubric
from awards.models import Award, AwardRecord, AwardValue
from complaints import services as complaint_services
from complaints.models import Complaint, ComplaintCategory, ComplaintEvent
from complaints.workdays import add_working_days
from credit import scoring
from credit import services as credit_services
from credit.models import CreditEntry, CreditScore, CreditStanding
from evaluation.choices import Element
from evaluation.models import CriteriaTemplate, Evaluation, PanelMember, ScoreSheet
from notifications.models import Todo
from projects.choices import MilestoneKind, MilestoneSource
from projects.models import ConstraintRecord, GoalRule, MonthlyReport, Participant, Project, ProjectMilestone
from projects.seed import GOAL_RULES

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
    # The tables of the last round, loaded incrementally into an older data set (``EXTRA_SECTIONS``): more users
    # (county staff, unit users, experts) for user management, complaints (the ledger and the analysis) and
    # to-dos (the inbox of bench_admin and of the measured county's user). Their minimums fill a 500-row page.
    staff_users: int = 1_200
    complaints: int = 20_000
    todos: int = 2_000
    # The programme duties (issue 30): the four milestones of every project, and the city's goal rules for the
    # data set's last ``goal_rules`` years (the demo's rules).
    milestones: int = 4
    goal_rules: int = 2

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
            staff_users=n(base.staff_users, 600),
            complaints=n(base.complaints, 600),
            todos=n(base.todos, 600),
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
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        columns = ", ".join(qn(by_attname[name].column) for name in fields)  # a db_column differs from the attname
        columns = ", ".join([columns, *(qn(f.column) for f in rest)]) if rest else columns
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

    # --- the tables of the last round (also loaded on their own into an older data set) -------------------------
    # Each has its own random stream, so a full load and an incremental one give the same rows.
    EXTRA_USER_PREFIX = "bench_x"

    def prepare_extras(self) -> None:
        """What the extra sections read from an already loaded data set (an incremental load)."""
        self.regions()
        self.admin_id = User.objects.get(username="bench_admin").pk

    def staff_users(self) -> None:
        """用户管理 at scale: half county staff (spread over the counties), 40 % unit users of enterprises (the first
        of each enterprise its 单位管理员), 10 % experts working for design and supervision firms."""
        rng, n = random.Random(f"{SEED}-staff_users"), self.plan.staff_users
        password = make_password(DEMO_PASSWORD)
        enterprises = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
        employers = (
            list(
                Enterprise.objects.filter(kinds__code__in=["design", "supervisor"])
                .order_by("pk")
                .values_list("pk", flat=True)
                .distinct()
            )
            or enterprises
        )
        first = _next_id(User)
        admins: set[int] = set(User.objects.filter(is_enterprise_admin=True).values_list("enterprise_id", flat=True))

        def rows():
            for i in range(n):
                r = rng.random()
                region = enterprise = None
                is_admin = False
                if r < 0.5:
                    county = self.counties[i % len(self.counties)]
                    role, region, name = User.Role.COUNTY_STAFF, county["id"], f"{county['name']}工作人员{i + 1}"
                elif r < 0.9:
                    enterprise = enterprises[rng.randrange(len(enterprises))]
                    role, name = User.Role.UNIT_USER, f"单位用户{i + 1}"
                    is_admin = enterprise not in admins
                    admins.add(enterprise)
                else:
                    enterprise = employers[rng.randrange(len(employers))]
                    role, name = User.Role.EXPERT, f"评审专家（库）{i + 1}"
                yield (
                    first + i,
                    f"{self.EXTRA_USER_PREFIX}{i + 1:05d}",
                    name,
                    role,
                    region,
                    enterprise,
                    is_admin,
                    f"138{i:08d}",
                    password,
                    NOW,
                )

        self.writer.write(
            User,
            [
                "id",
                "username",
                "name",
                "role",
                "region_id",
                "enterprise_id",
                "is_enterprise_admin",
                "phone",
                "password",
                "date_joined",
            ],
            rows(),
        )

    COMPLAINT_YEARS = 3
    COMPLAINT_CHANNELS = [("online", 50), ("hotline", 25), ("phone", 10), ("letter", 5), ("visit", 5), ("petition", 5)]

    def complaints(self) -> None:
        """投诉举报 over the last three years before ``NOW``, routed as the services route them (the project's county,
        or an address in a county), in every state: older ones mostly 办结 or 不予受理, recent ones still open (some
        past their deadline, flagged 逾期督办), with the working-day deadlines of ``complaints.services``, a handler
        from the county's staff, their handling steps (ComplaintEvent) and, for the ones found true, the project's
        contractor as the responsible unit."""

        rng, plan = random.Random(f"{SEED}-complaints"), self.plan
        county_ids = [c["id"] for c in self.counties]
        county_names = {c["id"]: c["name"] for c in self.counties}
        projects = list(
            Project.objects.filter(county_id__in=county_ids).order_by("pk").values_list("pk", "county_id", "name")
        )
        staff: dict[int, list[int]] = {c: [] for c in county_ids}
        for region, pk in (
            User.objects.filter(role=User.Role.COUNTY_STAFF, region_id__in=county_ids, is_active=True)
            .order_by("pk")
            .values_list("region_id", "pk")
        ):
            staff[region].append(pk)
        tops = list(ComplaintCategory.objects.filter(parent__isnull=True).order_by("order", "pk"))
        subs: dict[int, list] = {t.pk: [] for t in tops}
        for sub in ComplaintCategory.objects.filter(parent__isnull=False).order_by("order", "pk"):
            subs[sub.parent_id].append(sub)
        channels = [c for c, _ in self.COMPLAINT_CHANNELS]
        cum_channel = list(_cumulative([w for _, w in self.COMPLAINT_CHANNELS]))
        today = NOW.date()
        start = today - dt.timedelta(days=365 * self.COMPLAINT_YEARS)
        span = (today - start).days
        exceptions = complaint_services.calendar_exceptions(start - dt.timedelta(days=1), span // 3 + 40)
        accept_days, close_days = complaint_services.accept_days(), complaint_services.close_days()
        digest = complaint_services.secret_digest("bench-secret")
        first, first_event = _next_id(Complaint), _next_id(ComplaintEvent)
        events: list[tuple] = []
        responsible: list[tuple[int, int]] = []  # (complaint, project) of the complaints found true

        def at(day: dt.date, hour: int) -> dt.datetime:
            return dt.datetime.combine(day, dt.time(hour % 24, rng.randrange(60)), tzinfo=UTC)

        def event(complaint, action, actor, when, from_status="", to_status="", note=""):
            events.append((first_event + len(events), complaint, action, actor, from_status, to_status, note, when))

        def tracking(k: int, day: dt.date) -> str:
            letters, alphabet = [], complaint_services.TRACKING_ALPHABET
            for _ in range(6):
                k, digit = divmod(k, len(alphabet))
                letters.append(alphabet[digit])
            return f"TS{day:%Y%m%d}{''.join(reversed(letters))}"

        def rows():
            for k in range(plan.complaints):
                pk = first + k
                received_on = start + dt.timedelta(days=rng.randrange(span + 1))
                received_at = at(received_on, rng.randint(0, 11))  # 08:00–19:59 Beijing time
                project_id = None
                if projects and rng.random() < 0.75:
                    project_id, county, subject = projects[rng.randrange(len(projects))]
                    address = ""
                else:
                    county = county_ids[rng.randrange(len(county_ids))]
                    address = f"{county_names[county]}建设路{rng.randint(1, 300)}号附近"
                    subject = address
                top = tops[rng.randrange(len(tops))]
                sub = subs[top.pk][rng.randrange(len(subs[top.pk]))] if subs[top.pk] and rng.random() < 0.8 else None
                channel = rng.choices(channels, cum_weights=cum_channel)[0]
                handlers = staff[county] or [self.admin_id]
                handler = handlers[rng.randrange(len(handlers))]
                age = (today - received_on).days
                r = rng.random()
                if age > 60:
                    status = (
                        "closed"
                        if r < 0.85
                        else "rejected"
                        if r < 0.95
                        else "investigating"
                        if r < 0.98
                        else "accepted"
                    )
                else:
                    status = (
                        "pending" if r < 0.3 else "accepted" if r < 0.55 else "investigating" if r < 0.8
                        else "closed" if r < 0.95 else "rejected"
                    )  # fmt: skip
                accept_due = add_working_days(received_on, accept_days, exceptions)
                entered_by = None if channel == "online" else handler
                accepted_at = investigation_at = finished_at = close_due = None
                accepted_late = closed_late = False
                substantiated = findings = reply = reject_reason = overdue_stage = ""
                overdue_at = None
                if status == "pending":
                    handler = handler if rng.random() < 0.3 else None
                    if accept_due < today:
                        overdue_stage, overdue_at = "accept", at(accept_due + dt.timedelta(days=1), 1)
                elif status == "rejected":
                    decided = min(received_on + dt.timedelta(days=rng.randint(0, 8)), today)
                    finished_at = at(decided, 2 + rng.randrange(8))
                    accepted_late = decided > accept_due
                    reject_reason = "不属于本局职责范围，已告知投诉人向有关部门反映。"
                else:
                    accepted_on = min(received_on + dt.timedelta(days=rng.randint(0, 8)), today)
                    accepted_at = at(accepted_on, 1 + rng.randrange(8))
                    accepted_late = accepted_on > accept_due
                    close_due = add_working_days(accepted_on, close_days, exceptions)
                    if status in ("investigating", "closed"):
                        investigation_at = accepted_at + dt.timedelta(days=rng.randint(0, 3))
                    if status == "closed":
                        finished_on = min(accepted_on + dt.timedelta(days=rng.randint(3, 60)), today)
                        finished_at = max(at(finished_on, 9), investigation_at + dt.timedelta(hours=1))
                        closed_late = finished_at.date() > close_due
                        x = rng.random()
                        substantiated = "yes" if x < 0.4 else "partly" if x < 0.6 else "no"
                        findings = "经现场核查，" + ("情况属实，已责令整改。" if x < 0.6 else "未发现所反映问题。")
                        reply = "您反映的问题已核查处理完毕，感谢您的监督。"
                        if x < 0.6 and project_id:
                            responsible.append((pk, project_id))
                    elif close_due < today:
                        overdue_stage, overdue_at = "close", at(close_due + dt.timedelta(days=1), 1)
                # the handling steps, as the services record them
                if channel == "online":
                    event(pk, "submit", None, received_at, to_status="pending", note="附照片0张")
                else:
                    event(pk, "enter", entered_by, received_at, to_status="pending", note="登记录入")
                if status == "rejected":
                    event(pk, "reject", handler, finished_at, "pending", "rejected", reject_reason)
                elif status != "pending":
                    event(pk, "accept", handler, accepted_at, "pending", "accepted")
                    if investigation_at:
                        event(pk, "investigate", handler, investigation_at, "accepted", "investigating")
                    if status == "closed":
                        event(pk, "close", handler, finished_at, "investigating", "closed", findings)
                yield (
                    pk,
                    tracking(k, received_on),
                    digest,
                    project_id,
                    address,
                    county,
                    top.code,  # category_id: the column holds the code (to_field)
                    sub.pk if sub else None,
                    f"{top.name}问题：{subject}{'（' + sub.name + '）' if sub else ''}，请尽快核查处理。",
                    f"投诉人{k % 997}" if rng.random() < 0.8 else "",
                    f"139{k:08d}",
                    status,
                    handler,
                    received_at,
                    channel,
                    received_on,
                    f"{channel.upper()}-{received_on:%Y%m%d}-{k:05d}" if channel in ("hotline", "petition") else "",
                    entered_by,
                    accept_due,
                    close_due,
                    accepted_late,
                    closed_late,
                    accepted_at,
                    investigation_at,
                    finished_at,
                    findings,
                    reply,
                    substantiated,
                    reject_reason,
                    overdue_at,
                    overdue_stage,
                    finished_at or NOW,
                )

        self.writer.write(
            Complaint,
            [
                "id",
                "tracking_no",
                "secret_digest",
                "project_id",
                "address",
                "county_id",
                "category_id",
                "subcategory_id",
                "description",
                "complainant_name",
                "complainant_phone",
                "status",
                "handler_id",
                "received_at",
                "channel",
                "received_on",
                "source_ref",
                "entered_by_id",
                "accept_due",
                "close_due",
                "accepted_late",
                "closed_late",
                "accepted_at",
                "investigation_started_at",
                "finished_at",
                "findings",
                "reply",
                "substantiated",
                "reject_reason",
                "overdue_flagged_at",
                "overdue_stage",
                "updated_at",
            ],
            rows(),
        )
        self.writer.write(
            ComplaintEvent,
            ["id", "complaint_id", "action", "actor_id", "from_status", "to_status", "note", "at"],
            events,
        )
        contractors: dict[int, int] = {}
        project_ids = sorted({p for _, p in responsible})
        for i in range(0, len(project_ids), 5_000):
            for project, enterprise in (
                Participant.objects.filter(project_id__in=project_ids[i : i + 5_000], role="contractor")
                .order_by("project_id", "pk")
                .values_list("project_id", "enterprise_id")
            ):
                contractors.setdefault(project, enterprise)
        through = Complaint.responsible_enterprises.through
        first_link = _next_id(through)
        links = [(c, contractors[p]) for c, p in responsible if p in contractors]
        self.writer.write(
            through,
            ["id", "complaint_id", "enterprise_id"],
            ((first_link + i, c, e) for i, (c, e) in enumerate(links)),
        )

    def todos(self) -> None:
        """待办: ``todos`` open ones for bench_admin (the city's kinds: 信用修复申诉, 绿色建造试点评审结论 and 验收 — the data
        set holds no appeals or pilots, so their subjects are numbered, not loaded), plus a tenth as many for the
        staff user of the county the bench measures (受理 its pending complaints, 审核 its projects' reports), and
        a few done ones for each."""

        rng, plan = random.Random(f"{SEED}-todos"), self.plan
        county = measured_county()
        county_user = User.objects.filter(username=f"bench_{county['code']}").values_list("pk", flat=True).first()
        city_kinds = [
            (Todo.Kind.CREDIT_APPEAL, "credit.creditappeal", "处理信用修复申诉", "/credit/appeals/{}/"),
            (Todo.Kind.PILOT_DECIDE, "pilots.pilot", "作出绿色建造试点评审结论", "/pilots/{}/"),
            (Todo.Kind.PILOT_ACCEPTANCE, "pilots.pilot", "组织绿色建造专项评估验收", "/pilots/{}/"),
        ]
        subjects = []  # (user, kind, subject type, subject id, title, url, deadline)
        for n in range(plan.todos):
            kind, label, title, url = city_kinds[n % len(city_kinds)]
            deadline = NOW + dt.timedelta(days=rng.randint(-20, 40)) if kind == Todo.Kind.CREDIT_APPEAL else None
            subjects.append((self.admin_id, kind, label, n + 1, f"{title}（第{n + 1}号）", url.format(n + 1), deadline))
        if county_user:
            wanted = max(10, plan.todos // 10)
            pending = list(
                Complaint.objects.filter(county_id=county["id"], status="pending")
                .order_by("pk")
                .values_list("pk", "tracking_no", "accept_due")[: wanted // 2]
            )
            for pk, number, due in pending:
                deadline = dt.datetime.combine(due, dt.time(15, 59, 59), tzinfo=UTC)  # 23:59:59 Beijing time
                title = f"受理投诉举报 {number}"
                subjects.append((county_user, Todo.Kind.COMPLAINT_ACCEPT, "complaints.complaint", pk, title,
                                 f"/complaints/{pk}/", deadline))  # fmt: skip
            reports = MonthlyReport.objects.filter(project__county_id=county["id"]).order_by("-pk")
            for pk, project in reports.values_list("pk", "project__name")[: wanted - len(pending)]:
                subjects.append((county_user, Todo.Kind.REPORT_REVIEW, "projects.monthlyreport", pk,
                                 f"审核项目月报：{project}", f"/projects/reports/{pk}/", None))  # fmt: skip
        first = _next_id(Todo)

        def rows():
            for n, (user, kind, label, subject, title, url, deadline) in enumerate(subjects):
                done = rng.random() < 0.05
                yield (
                    first + n,
                    user,
                    kind,
                    f"{kind}:{label}:{subject}",
                    title,
                    url,
                    deadline,
                    label,
                    str(subject),
                    NOW - dt.timedelta(days=rng.randint(1, 60)),
                    NOW - dt.timedelta(hours=rng.randint(1, 48)) if done else None,
                )

        self.writer.write(
            Todo,
            [
                "id",
                "user_id",
                "kind",
                "key",
                "title",
                "url",
                "deadline",
                "subject_type",
                "subject_id",
                "created_at",
                "done_at",
            ],
            rows(),
        )

    def milestones(self) -> None:
        """形象进度节点: the four of every project. 开工 and 竣工验收 planned at the project's planned start and
        completion (as ``projects.services.sync_planned_milestones`` seeds them), 主体结构封顶 at 45 % of the way,
        移交 60 days after completion. Reached by ``NOW``: most on time (−15 … +25 days), 8 % more than 30 days
        late (滞后完成), 5 % not reached (with every later one); a milestone whose date falls after ``NOW`` is open."""
        rng, plan = random.Random(f"{SEED}-milestones"), self.plan
        kinds = [k.value for k in MilestoneKind][: plan.milestones]
        projects = Project.objects.order_by("pk").values_list("pk", "planned_start", "planned_completion")
        first = _next_id(ProjectMilestone)

        def planned_dates(start, completion):
            if start is None or completion is None:
                return [start, None, completion, None]
            span = (completion - start).days
            return [start, start + dt.timedelta(days=span * 45 // 100), completion, completion + dt.timedelta(days=60)]

        def rows():
            pk = first
            for project, start, completion in projects.iterator(chunk_size=10_000):
                stopped = False
                for kind, planned in zip(kinds, planned_dates(start, completion), strict=False):
                    r = rng.random()
                    actual = None
                    if planned is not None and not stopped and r >= 0.05:
                        delay = rng.randint(31, 180) if r < 0.13 else rng.randint(-15, 25)
                        actual = planned + dt.timedelta(days=delay)
                        if actual > NOW.date():
                            actual = None
                    stopped = stopped or actual is None
                    yield (pk, project, kind, planned, actual, MilestoneSource.COUNTY if actual else "", NOW)
                    pk += 1

        self.writer.write(
            ProjectMilestone, ["id", "project_id", "kind", "planned_on", "actual_on", "source", "updated_at"], rows()
        )

    def goal_rules(self) -> None:
        """项目目标规则 of the data set's last ``goal_rules`` years: the demo's (``projects.seed.GOAL_RULES``), the
        earlier years without the BIM rule for pilots, as the demo has them."""
        years = self.plan.years[-self.plan.goal_rules :] if self.plan.goal_rules else ()
        first = _next_id(GoalRule)

        def rows():
            pk = first
            for year in years:
                rules = GOAL_RULES if year == years[-1] else GOAL_RULES[:3]
                for name, values, basis in rules:
                    yield (
                        pk,
                        year,
                        name,
                        "building",
                        str(values.get("building_use", "")),
                        bool(values.get("prefabricated_only")),
                        bool(values.get("pilot_only")),
                        values.get("min_prefab_rate"),
                        values.get("min_energy_standard"),
                        bool(values.get("bim_required")),
                        basis,
                        self.admin_id,
                        NOW,
                        NOW,
                    )
                    pk += 1

        self.writer.write(
            GoalRule,
            [
                "id",
                "year",
                "name",
                "category",
                "building_use",
                "prefabricated_only",
                "pilot_only",
                "min_prefab_rate",
                "min_energy_standard",
                "bim_required",
                "basis",
                "updated_by_id",
                "created_at",
                "updated_at",
            ],
            rows(),
        )

    def run(self, sections: Sequence[str] | None = None) -> list[TableLoad]:
        """The whole data set, or (``sections``: names of ``EXTRA_SECTIONS``) only those, into a loaded one."""
        if sections is None:
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
                *(getattr(self, name) for name in EXTRA_SECTIONS),
            ]
        else:
            steps = [self.prepare_extras, *(getattr(self, name) for name in EXTRA_SECTIONS if name in sections)]
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
    Complaint,
    ComplaintEvent,
    Complaint.responsible_enterprises.through,
    Todo,
    ProjectMilestone,
    GoalRule,
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
    "complaints": Complaint,
    "complaint_events": ComplaintEvent,
    "todos": Todo,
    "milestones": ProjectMilestone,
    "goal_rules": GoalRule,
}
# The sections a data set loaded before them gets on its own (``ensure_data``: no rebuild): the plan field that sizes
# each (also the Loader's method) → the row counts it adds to.
EXTRA_SECTIONS = {
    "staff_users": ("users",),
    "complaints": ("complaints", "complaint_events"),
    "todos": ("todos",),
    "milestones": ("milestones",),
    "goal_rules": ("goal_rules",),
}


def measured_county() -> dict | None:
    """The county the bench measures as a county user: the one with the most projects (its staff user is
    ``bench_<code>``, who also gets to-dos)."""
    row = Project.objects.values("county_id").annotate(n=Count("pk")).order_by("-n", "county_id").first()
    if row is None:
        return Region.objects.filter(level=Region.Level.COUNTY).order_by("pk").values("id", "code").first()
    return Region.objects.filter(pk=row["county_id"]).values("id", "code").get()


def sections_missing(marker: dict, wanted: dict, counts: dict) -> list[str] | None:
    """The extra sections to load into the data set described by ``marker`` so that it becomes ``wanted``, or None
    when that is not possible (the rest of the plan differs, the rows of the marker's tables changed, or a section
    is there at another size): then the data set is rebuilt."""
    old_plan = marker["plan"]
    if any(old_plan.get(k) != v for k, v in wanted.items() if k not in EXTRA_SECTIONS):
        return None
    touched = {key for keys in EXTRA_SECTIONS.values() for key in keys}
    if any(counts.get(k) != v for k, v in marker["counts"].items() if k not in touched):
        return None
    missing = []
    for name, keys in EXTRA_SECTIONS.items():
        if name in old_plan and all(k in marker["counts"] for k in keys):
            if old_plan[name] != wanted[name] or any(counts[k] != marker["counts"][k] for k in keys):
                return None
            continue  # loaded with this size, rows unchanged
        if name != "staff_users" and any(counts.get(k) for k in keys):
            return None  # rows the marker does not describe
        if name == "staff_users" and User.objects.filter(username__startswith=Loader.EXTRA_USER_PREFIX).exists():
            return None
        missing.append(name)
    return missing or None


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
        "complaints": plan.complaints,
        "milestones": plan.projects * plan.milestones,
        "goal_rules": sum(len(GOAL_RULES) if i == 0 else 3 for i in range(min(plan.goal_rules, len(plan.years)))),
    }


def _cumulative(weights):
    total = 0
    for w in weights:
        total += w
        yield total


def load(plan: Plan, log: Callable[[str], None] = print, sections: Sequence[str] | None = None) -> list[TableLoad]:
    """Load the plan's data set into the current database (reference data must be seeded); ``sections``: only
    these extra sections, into a data set loaded before them (see ``sections_missing``)."""
    if not EnterpriseKind.objects.exists():
        raise RuntimeError("单位类别缺失：请先运行 migrate 和 seed_reference。")
    return Loader(plan, log=log).run(sections)
