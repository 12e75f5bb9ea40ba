"""Jingpin settings: everything comes from environment variables (see README.md, "Configuration").

With no environment at all this is the embedded mode: SQLite, Celery tasks run eagerly in-process,
files on local disk, DEBUG on. ``DJANGO_ENV=production`` (or ``DEBUG=0``) switches to production,
where a missing SECRET_KEY or ALLOWED_HOSTS is an ImproperlyConfigured error.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from config.apps import API_AREAS, PROJECT_APPS
from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = (envstr("DJANGO_ENV", "development") or "development").lower()
DEBUG = envbool("DEBUG", DJANGO_ENV != "production")
PRODUCTION = DJANGO_ENV == "production" or not DEBUG

SECRET_KEY = envstr("SECRET_KEY")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS")
if PRODUCTION:
    if not SECRET_KEY:
        raise ImproperlyConfigured("生产模式必须设置环境变量 SECRET_KEY（SECRET_KEY is required in production）")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("生产模式必须设置环境变量 ALLOWED_HOSTS（ALLOWED_HOSTS is required in production）")
else:
    SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-jingpin-do-not-use-in-production-0123456789"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    *PROJECT_APPS,  # the project's own apps: config/apps.py
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.csp.ContentSecurityPolicyMiddleware",  # request.csp_nonce for inline scripts; the header on every page
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # 变更记录: the request (and so its user) for the history rows; an API request's token user is set on the same
    # request object when DRF authenticates it (core.history explains and the tests check it).
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.errors.MethodNotAllowedPage",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# <select> written in Python (same markup as Django's templates), the rest as Django draws it: core/forms_renderer.py
FORM_RENDERER = "core.forms_renderer.FastSelectRenderer"

WSGI_APPLICATION = "config.wsgi.application"

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=envint("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        # A persistent connection that died while idle (database restarted) is replaced before it is used.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A streaming replica for read-only work (list pages, report data): core.db.ReplicaRouter sends the reads made
# inside core.db.replica_reads() there; everything else (forms, workflows, writes) stays on the primary.
REPLICA_DATABASE_URL = envstr("REPLICA_DATABASE_URL")
if REPLICA_DATABASE_URL:
    DATABASES["replica"] = dj_database_url.parse(
        REPLICA_DATABASE_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # tests: the replica alias reads the test database
DATABASE_ROUTERS = ["core.db.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "accounts.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "accounts.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (accounts/security.py): failures per account / per IP within the window lock it.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", 30)
LOGIN_IP_FAILURE_LIMIT = envint("LOGIN_IP_FAILURE_LIMIT", 100)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
# The client address of every limit, lockout and audit row (core/clientip.py): 0 = direct (REMOTE_ADDR only,
# X-Forwarded-For ignored); N = behind N trusted reverse proxies (the N-th X-Forwarded-For entry from the right).
# The deprecated LOGIN_TRUST_X_FORWARDED_FOR=1 means one proxy when TRUSTED_PROXY_COUNT is not set.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 1 if envbool("LOGIN_TRUST_X_FORWARDED_FOR", False) else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT 不能为负数（TRUSTED_PROXY_COUNT must be 0 or more）")
# /healthz tells anonymous callers only ok/fail; a monitor sending "X-Healthz-Token: <this>" (or the city admin)
# also reads the checks (database vendor, broker, outbox backlog). Empty: the city admin only.
HEALTHZ_TOKEN = envstr("HEALTHZ_TOKEN") or ""
# Per-IP request rate on POST /api/v1/auth/token/ (DRF throttle, on top of the lockout).
AUTH_TOKEN_RATE = envstr("AUTH_TOKEN_RATE") or "20/min"
# API tokens expire after this many hours (30 days).
TOKEN_TTL_HOURS = envint("TOKEN_TTL_HOURS", 24 * 30)
PASSWORD_LINK_TTL_HOURS = envint("PASSWORD_LINK_TTL_HOURS", 72)  # one-time set-password links (accounts.security)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(envstr("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Source maps (7 MB shipped by the admin, DRF and the API-docs sidecar) are for developers' tools: served as they
# are, not compressed, which keeps collectstatic (brotli) about twice as fast.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]
# Upload limits (bytes): evidence files and Excel imports.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# An uploaded image (JPG/PNG) of more pixels than this is refused from its header, before decoding (a small file can
# declare a huge image); every accepted image is re-encoded without metadata (core/images.py).
UPLOAD_MAX_IMAGE_PIXELS = envint("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000)
# An xlsx is a zip: its parts may not inflate beyond this, and one import holds at most this many data rows.
IMPORT_MAX_UNCOMPRESSED_BYTES = envint("IMPORT_MAX_UNCOMPRESSED_BYTES", 40 * 1024 * 1024)
IMPORT_MAX_ROWS = envint("IMPORT_MAX_ROWS", 5000)
# Error lists (imports) show the first this many, with the total count.
IMPORT_MAX_ERRORS_SHOWN = envint("IMPORT_MAX_ERRORS_SHOWN", 200)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 1024 * 1024

# Cache: Redis when CACHE_URL is set (shared by every gunicorn/Celery process: throttling counters, dashboard
# panels); else each process's local memory (embedded mode, tests). The cache is never a dependency (core.cache):
# with it down pages are computed from the database and the limits count in the database, after one connection
# attempt per CACHE_RETRY_SECONDS; short socket timeouts keep an unreachable cache from holding a request.
CACHE_URL = envstr("CACHE_URL")
CACHE_RETRY_SECONDS = envint("CACHE_RETRY_SECONDS", 5)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
# Dashboard panels whose data changes monthly are cached this long (and dropped at once when their data changes).
DASHBOARD_CACHE_SECONDS = envint("DASHBOARD_CACHE_SECONDS", 600)
# The kept list counts and the points ledger's ranked rows are dropped through version tokens in the cache, which
# only works when every process shares the cache: on by default with CACHE_URL, off with each process's own memory.
LIST_CACHE = envbool("LIST_CACHE", bool(CACHE_URL))
KEEP_COUNTS_FROM = envint("KEEP_COUNTS_FROM", 10_000)  # only tables this big keep their unfiltered count

# Unfiltered lists of tables with at least this many rows (planner estimate) show the estimate as their count
# instead of a COUNT(*) over the whole table; 0 = always count exactly.
EXACT_COUNT_LIMIT = envint("EXACT_COUNT_LIMIT", 200_000)

# --- REST API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing/expired credential a 401, not a 403.
        "accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # orjson writes the JSON (same output as DRF's renderer, a fraction of the time on long lists).
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    # The public (no login) API of the disclosure app is throttled per client address.
    "DEFAULT_THROTTLE_RATES": {"public": envstr("PUBLIC_API_RATE") or "60/minute"},
    # Every throttle counts by core.clientip (core/api/throttling.py); DRF's own rule gets the same proxy count.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "精品工程管理系统 API",
    "DESCRIPTION": "晋城市住建局 精品工程 / 考评 / 奖励 REST API（/api/v1/）",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.schema.name_exports"],
    # one tag per area, in this order (config/apps.py; core/api/schema.py puts each operation under its area)
    "TAGS": [{"name": name, "description": description} for name, description in API_AREAS.items()],
    # Choice sets that share a field name across apps get explicit component names.
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "projects.choices.Stage",
        "ParticipantRoleEnum": "projects.choices.ParticipantRole",
        "MonthlyReportStatusEnum": "projects.choices.ReportStatus",
        "ConstraintStatusEnum": "projects.choices.ConstraintStatus",
        "SubmissionStatusEnum": "assessment.choices.Status",
        "EvaluationStatusEnum": "evaluation.choices.EvaluationStatus",
        "ScoreSheetStatusEnum": "evaluation.choices.SheetStatus",
        "ProjectCategoryEnum": "projects.choices.Category",
        "ComplaintSatisfactionEnum": "complaints.choices.Satisfaction",
        "ReturnVisitChannelEnum": "complaints.models.ReturnVisit.Channel",
        "ReturnVisitDecisionEnum": "complaints.models.ReturnVisit.Decision",
        "ComplaintStatusEnum": "complaints.choices.Status",
        "UserRoleEnum": "accounts.models.User.Role",
        "ComplaintChannelEnum": "complaints.choices.IntakeChannel",
        "ComplaintStaffChannelEnum": "complaints.choices.STAFF_CHANNEL_CHOICES",
        "NoticeAnswerChannelEnum": "inspections.choices.AnswerChannel",
        "PaperAnswerChannelEnum": "inspections.choices.PROXY_CHANNEL_CHOICES",
        "CreditBehaviourEnum": "credit.choices.Behaviour",
        "CreditPolarityEnum": "credit.choices.Polarity",
        "CreditSeverityEnum": "credit.choices.Severity",
        "CreditGradeEnum": "credit.choices.Grade",
        "CreditEntryStateEnum": "credit.choices.EntryState",
        "PilotStatusEnum": "pilots.choices.PilotStatus",
        "GreenLabelEnum": "pilots.choices.GreenLabel",
        "CreditAppealStatusEnum": "credit.choices.AppealStatus",
    },
}

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = envstr("CELERY_BROKER_URL") or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = envstr("CELERY_RESULT_BACKEND") or (None if CELERY_TASK_ALWAYS_EAGER else CELERY_BROKER_URL)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
# The 驾驶舱's panels are recomputed by the worker when their data change (core.panel_cache): with a worker, a
# request that finds an older copy is served it (marked 更新中) while the worker recomputes; in embedded mode (no
# broker) there is no worker, so such a request computes it. The worker keeps the latest DASHBOARD_REFRESH_SCOPES
# scopes (role, county, enterprise) warm.
DASHBOARD_SERVE_STALE = envbool("DASHBOARD_SERVE_STALE", not CELERY_TASK_ALWAYS_EAGER)
DASHBOARD_REFRESH_SCOPES = envint("DASHBOARD_REFRESH_SCOPES", 300)
# A panel with no value for the scope yet (its very first view, an emptied or evicted cache) is a placeholder the
# page loads from /dashboard/panels/<key>/: the page costs cache reads, each of those requests one panel.
DASHBOARD_LAZY_PANELS = envbool("DASHBOARD_LAZY_PANELS", True)
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process that built a big report keeps its peak memory (Python rarely gives it back): after a task that
# leaves it above WORKER_MAX_MEMORY_KB resident it is replaced by a fresh one, so the worker's memory stays bounded
# over weeks (bench/soak.py measures it). 0 = never.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = envint("WORKER_MAX_MEMORY_KB", 250_000) or None
# Each worker child builds a one-page PDF as it starts (config/celery.py), so the PDF engine and the CJK fonts are
# loaded before its first report, not during it.
REPORT_WORKER_WARMUP = envbool("REPORT_WORKER_WARMUP", True)
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tests and the fault drills give each run its own queue; production uses Celery's default.
CELERY_TASK_DEFAULT_QUEUE = envstr("CELERY_TASK_DEFAULT_QUEUE") or "celery"
# A message taken by a worker that died is handed out again after this many seconds (Redis has no acks): a little
# longer than the slowest report (the province-scale annual report takes about a minute, docs/performance.md).
# Runs whose worker died are recovered much sooner by the report sweep (heartbeat, REPORT_STALE_SECONDS).
CELERY_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", 600)
# Short broker timeouts: a web request that queues work never waits long for a broker that is down (the work
# waits in the outbox instead, core/outbox.py).
CELERY_BROKER_CONNECTION_TIMEOUT = envint("CELERY_BROKER_CONNECTION_TIMEOUT", 2)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": envint("CELERY_BROKER_SOCKET_TIMEOUT", 10),
    "socket_keepalive": True,
    "health_check_interval": 25,
    # A publisher (web request, outbox) tries to reconnect once, at once, then gives up (the outbox keeps the job).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_CONNECTION_TIMEOUT
CELERY_REDIS_SOCKET_TIMEOUT = envint("CELERY_BROKER_SOCKET_TIMEOUT", 10)
# The transactional outbox's dispatcher (beat) and the report sweep.
OUTBOX_DISPATCH_SECONDS = envint("OUTBOX_DISPATCH_SECONDS", 30)
REPORT_HEARTBEAT_SECONDS = envint("REPORT_HEARTBEAT_SECONDS", 10)
REPORT_STALE_SECONDS = envint("REPORT_STALE_SECONDS", 60)
REPORT_QUEUE_STALE_SECONDS = envint("REPORT_QUEUE_STALE_SECONDS", 900)
REPORT_MAX_ATTEMPTS = envint("REPORT_MAX_ATTEMPTS", 5)
REPORT_SWEEP_SECONDS = envint("REPORT_SWEEP_SECONDS", 60)
CELERY_BEAT_SCHEDULE = {
    # Month M's submission is due on the 20th; on the 21st at 08:00 the month's bulletin is built.
    "monthly-bulletin": {
        "task": "reports.tasks.build_due_monthly_bulletin",
        "schedule": crontab(day_of_month="21", hour="8", minute="0"),
    },
    # Reminders to counties that have not yet submitted the month.
    "submission-reminders": {
        "task": "assessment.tasks.send_submission_reminders",
        "schedule": crontab(day_of_month="17,19", hour="9", minute="0"),
    },
    # Report runs whose heartbeat stopped are requeued (or failed), lost jobs re-sent, orphan files removed.
    "sweep-report-runs": {
        "task": "reports.tasks.sweep_report_runs",
        "schedule": timedelta(seconds=REPORT_SWEEP_SECONDS),
    },
    # What was committed while the broker was down is delivered once it is back.
    "dispatch-outbox": {
        "task": "core.tasks.dispatch_outbox",
        "schedule": timedelta(seconds=OUTBOX_DISPATCH_SECONDS),
    },
    # 实时督办: complaints past their 受理/办结 deadline are flagged and the city, county and handler notified.
    "flag-overdue-complaints": {
        "task": "complaints.tasks.flag_overdue_complaints",
        "schedule": crontab(minute="15", hour="8-18"),
    },
    # 精品工程/示范项目 with a veto event after certification (e.g. insurance lapsed) get a 复核.
    "review-certified-projects": {
        "task": "evaluation.tasks.review_certified_projects",
        "schedule": crontab(hour="7", minute="45"),
    },
    # 整改通知单: reminders N days before the deadline and overdue notices to the responsible unit.
    "inspection-notice-reminders": {
        "task": "inspections.tasks.send_notice_reminders",
        "schedule": crontab(hour="8", minute="30"),
    },
    # 诚信档案: a rule version taking effect today applies, insurance lapses are re-read, scores reach today
    # (entries that expired overnight stop counting; the score history gets the day).
    "credit-daily": {
        "task": "credit.tasks.credit_daily",
        "schedule": crontab(hour="0", minute="20"),
    },
    # 项目公示: projects from 施工 on still unpublished — their county is reminded (once per project and stage).
    "disclosure-unpublished-reminders": {
        "task": "disclosure.tasks.remind_unpublished_projects",
        "schedule": crontab(hour="8", minute="40"),
    },
    # 进度滞后: milestones that slipped since yesterday — the 建设单位 and the county notified (once per slip).
    "milestone-slips": {
        "task": "projects.tasks.notify_milestone_slips",
        "schedule": crontab(hour="8", minute="50"),
    },
    # Housekeeping: expired sessions out of the database every night.
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour="3", minute="30"),
    },
}

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = envstr("EMAIL_BACKEND") or "django.core.mail.backends.console.EmailBackend"
EMAIL_HOST = envstr("EMAIL_HOST") or "localhost"
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL") or "jingpin@localhost"

# --- SMS (notification channel; see notifications/sms.py) -----------------------------------------
# "console" logs each message (default); "http" POSTs JSON {"phone", "text"} to SMS_GATEWAY_URL with
# "Authorization: Bearer SMS_GATEWAY_TOKEN"; a failed send is retried by the Celery task, never in the request.
SMS_BACKEND = (envstr("SMS_BACKEND") or "console").lower()
SMS_GATEWAY_URL = envstr("SMS_GATEWAY_URL") or ""
SMS_GATEWAY_TOKEN = envstr("SMS_GATEWAY_TOKEN") or ""
SMS_GATEWAY_TIMEOUT = envint("SMS_GATEWAY_TIMEOUT", 5)
SMS_MAX_RETRIES = envint("SMS_MAX_RETRIES", 5)
if SMS_BACKEND not in ("console", "http"):
    raise ImproperlyConfigured(f"SMS_BACKEND 只能是 console 或 http（got {SMS_BACKEND!r}）")
if SMS_BACKEND == "http" and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("SMS_BACKEND=http 时必须设置 SMS_GATEWAY_URL")

# The address citizens reach the public pages at (公示, 投诉举报): the QR code on the 永久性标志牌 points there.
# Empty: the host of the request that generated the sign.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL") or ""

# --- Domain settings (configurable rules, see SPEC) -----------------------------------------------
JINGPIN = {
    # Monthly county submission deadline: day of month M, local time (Asia/Shanghai).
    "SUBMISSION_DEADLINE_DAY": envint("SUBMISSION_DEADLINE_DAY", 20),
    "PAPER_ORIGINALS_DAY": envint("PAPER_ORIGINALS_DAY", 28),
    # 行政绩效 deduction proposed to the reviewer for late or missing paper originals (seed 002 附件1 四 names no
    # amount: the reviewer confirms or changes it).
    "PAPER_LATE_DEDUCTION": envstr("PAPER_LATE_DEDUCTION") or "-0.5",
    # Annual score weights (seed 002 第七条, "暂定"): target score 80 %, monthly average 20 %.
    "ANNUAL_TARGET_WEIGHT": envstr("ANNUAL_TARGET_WEIGHT") or "0.80",
    "ANNUAL_MONTHLY_WEIGHT": envstr("ANNUAL_MONTHLY_WEIGHT") or "0.20",
    # Points ledger "tender reference" window in years.
    "LEDGER_WINDOW_YEARS": envint("LEDGER_WINDOW_YEARS", 3),
    # Cultivation ratio minimum (percent) of government-invested projects in the 精品工程 library.
    "CULTIVATION_MIN_PERCENT": envstr("CULTIVATION_MIN_PERCENT") or "10",
    "EVALUATION_PASS_THRESHOLD": envstr("EVALUATION_PASS_THRESHOLD") or "85",
    # A milestone is 滞后 when not reached more than N days after its planned date (or reached later than that).
    "MILESTONE_DELAY_DAYS": envint("MILESTONE_DELAY_DAYS", 30),
    # Each element of an evaluation must reach this share of its weight (0.60: 60 %) to pass.
    "EVALUATION_ELEMENT_MIN_RATIO": envstr("EVALUATION_ELEMENT_MIN_RATIO") or "0.60",
    # Complaints (投诉举报): working days to accept (受理) and to close (办结, counted from acceptance).
    "COMPLAINT_ACCEPT_WORKING_DAYS": envint("COMPLAINT_ACCEPT_WORKING_DAYS", 3),
    "COMPLAINT_CLOSE_WORKING_DAYS": envint("COMPLAINT_CLOSE_WORKING_DAYS", 15),
    # Photos of a complaint: how many, how large (JPG/PNG only, checked by content).
    "COMPLAINT_MAX_PHOTOS": envint("COMPLAINT_MAX_PHOTOS", 3),
    "COMPLAINT_PHOTO_MAX_BYTES": envint("COMPLAINT_PHOTO_MAX_BYTES", 5 * 1024 * 1024),
    # Rate limits of the anonymous endpoints (per hour; the counters live in the cache, see CACHE_URL).
    "COMPLAINT_SUBMIT_PER_IP_PER_HOUR": envint("COMPLAINT_SUBMIT_PER_IP_PER_HOUR", 10),
    "COMPLAINT_STATUS_PER_IP_PER_HOUR": envint("COMPLAINT_STATUS_PER_IP_PER_HOUR", 30),
    "COMPLAINT_SEARCH_PER_IP_PER_HOUR": envint("COMPLAINT_SEARCH_PER_IP_PER_HOUR", 600),  # the form's project search
    # wrong query codes per (tracking number, client address)
    "COMPLAINT_STATUS_FAILURES_PER_NUMBER_PER_HOUR": envint("COMPLAINT_STATUS_FAILURES_PER_NUMBER_PER_HOUR", 5),
    "REGISTRATION_PER_IP_PER_HOUR": envint("REGISTRATION_PER_IP_PER_HOUR", 5),
    "REGISTRATION_STATUS_PER_IP_PER_HOUR": envint("REGISTRATION_STATUS_PER_IP_PER_HOUR", 30),
    "SET_PASSWORD_PER_IP_PER_HOUR": envint("SET_PASSWORD_PER_IP_PER_HOUR", 30),
    # 双随机 inspections: an inspector who inspected a project in the last N months is not drawn for it again;
    # the responsible unit is reminded N days before a rectification deadline.
    "INSPECTION_RECENCY_MONTHS": envint("INSPECTION_RECENCY_MONTHS", 12),
    "INSPECTION_REMINDER_DAYS": envint("INSPECTION_REMINDER_DAYS", 3),
    # 一公开: the organiser publishes an inspection's results within N working days of the inspection (Mon–Fri).
    "INSPECTION_PUBLISH_WORKING_DAYS": envint("INSPECTION_PUBLISH_WORKING_DAYS", 20),
    # Printed documents (整改通知单, 停工整改通知书, 受理告知书, 办结答复书): the issuing bureau's name (a county's is
    # "<county>住房和城乡建设局") and the legal basis each notice cites (general references; set the exact articles).
    "CITY_BUREAU_NAME": envstr("CITY_BUREAU_NAME") or "晋城市住房和城乡建设局",
    "NOTICE_LEGAL_BASIS": envstr("NOTICE_LEGAL_BASIS")
    or "依据《中华人民共和国建筑法》《建设工程质量管理条例》《建设工程安全生产管理条例》等有关规定",
    "STOP_WORK_LEGAL_BASIS": envstr("STOP_WORK_LEGAL_BASIS")
    or "依据《中华人民共和国建筑法》《建设工程质量管理条例》《建设工程安全生产管理条例》等有关规定",
}

# --- Security (production) ------------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Embedded mode runs tasks in-process: their per-task log lines would drown the server's own output.
        "celery.app.trace": {"level": "WARNING" if CELERY_TASK_ALWAYS_EAGER else "INFO"},
        "kombu": {"level": "ERROR" if CELERY_TASK_ALWAYS_EAGER else "WARNING"},
    },
}

# --- Observability (README, "Observability") -----------------------------------------------------------------
# Prometheus: /metrics (core/metrics.py) for the monitoring network only: a caller sending METRICS_TOKEN
# ("Authorization: Bearer <token>" or "X-Metrics-Token") or from an address/network in METRICS_ALLOWED_IPS.
METRICS_TOKEN = envstr("METRICS_TOKEN") or ""
METRICS_ALLOWED_IPS = envlist("METRICS_ALLOWED_IPS") or ["127.0.0.1"]
# django-prometheus's database backends count queries and errors per connection (off: METRICS_DB=0).
METRICS_DB = envbool("METRICS_DB", True)
# Where scripts/serve-production records the worker's and beat's restarts (restarts.log; jingpin_worker_restarts).
STATE_DIR = envstr("STATE_DIR") or str(BASE_DIR / "state")
# 运行状态 (/operations/, core/operations.py): the worker or beat is in a crash loop when it restarted at least
# CRASH_LOOP_RESTARTS times within the last CRASH_LOOP_SECONDS (default 4 in 15 min, i.e. more than 3 in 15 min:
# the same rule as docs/alerts.yml's JingpinWorkerRestartLoop, checked by tests/core/test_observability.py).
CRASH_LOOP_RESTARTS = envint("CRASH_LOOP_RESTARTS", 4)
CRASH_LOOP_SECONDS = envint("CRASH_LOOP_SECONDS", 900)
INSTALLED_APPS += ["django_prometheus"]
MIDDLEWARE = [
    "core.observability.RequestIdMiddleware",  # outermost: every log line of the request carries its id
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]
if METRICS_DB:
    for _db in DATABASES.values():
        if _db["ENGINE"] in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
            _db["ENGINE"] = _db["ENGINE"].replace("django.db.backends.", "django_prometheus.db.backends.")
if PRODUCTION:
    SECURE_REDIRECT_EXEMPT = [*SECURE_REDIRECT_EXEMPT, r"^metrics$"]  # scraped over plain HTTP inside the network
# Logs: one JSON object per line with the request id (LOG_FORMAT=json, the production default) or plain text.
LOG_FORMAT = (envstr("LOG_FORMAT") or ("json" if PRODUCTION else "text")).lower()
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT 只能是 json 或 text（got {LOG_FORMAT!r}）")
LOGGING["filters"] = {"request_id": {"()": "core.observability.RequestIdFilter"}}
LOGGING["formatters"]["json"] = {"()": "core.observability.json_formatter"}
LOGGING["formatters"]["plain"]["format"] = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
LOGGING["handlers"]["console"].update(formatter="json" if LOG_FORMAT == "json" else "plain", filters=["request_id"])
# Celery workers and beat keep this logging (core.observability) instead of configuring their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Sentry: errors of the web and of Celery tasks, only when SENTRY_DSN is set, without personal data.
SENTRY_DSN = envstr("SENTRY_DSN") or ""
SENTRY_ENVIRONMENT = envstr("SENTRY_ENVIRONMENT") or ""
SENTRY_RELEASE = envstr("SENTRY_RELEASE") or ""
SENTRY_TRACES_SAMPLE_RATE = float(envstr("SENTRY_TRACES_SAMPLE_RATE") or 0)
