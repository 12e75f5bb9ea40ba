from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.api.views import ObtainTokenView
from accounts.forms import LoginForm
from core import metrics as core_metrics
from core import operations as core_operations
from core import redirects
from core import views as core_views
from core.csp import csp_update

admin.site.site_header = "精品工程管理系统 · 后台"
admin.site.site_title = "精品工程管理系统"
admin.site.index_title = "基础数据管理"

# Errors outside a DRF view: JSON under /api/, the app's own Chinese pages elsewhere (core/errors.py).
handler400 = "core.errors.bad_request"
handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler500 = "core.errors.server_error"

api_v1 = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("accounts.api.urls")),
    path("", include("projects.api.urls")),
    path("", include("evaluation.api.urls")),
    path("", include("awards.api.urls")),
    path("", include("assessment.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("disclosure.api.urls")),
    path("", include("complaints.api.urls")),
    path("", include("inspections.api.urls")),
    path("", include("pilots.api.urls")),
    path("", include("credit.api.list_urls")),
    path("", include("credit.api.urls")),
]

urlpatterns = [
    path("", core_views.DashboardView.as_view(), name="dashboard"),
    path("dashboard/panels/<slug:key>/", core_views.dashboard_panel, name="dashboard-panel"),
    path("healthz", core_views.healthz, name="healthz"),
    path("metrics", core_metrics.metrics, name="metrics"),  # Prometheus; token or allowed address only
    path("operations/", core_operations.OperationsView.as_view(), name="operations"),  # 运行状态, city admin
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("autocomplete/<slug:kind>/", core_views.autocomplete, name="autocomplete"),
    path(
        "login/",
        redirects.LoginView.as_view(
            template_name="registration/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", redirects.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("projects/", include("projects.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("awards/", include("awards.urls")),
    path("assessment/", include("assessment.urls")),
    path("reports/notifications/", include("notifications.urls")),  # the bell kept its address
    path("reports/", include("reports.urls")),
    path("disclosure/credit/", include("credit.public_urls")),  # 红榜 and 黑名单 on the public site (no login)
    path("disclosure/", include("disclosure.urls")),
    path("complaints/", include("complaints.urls")),
    path("inspections/", include("inspections.urls")),
    path("pilots/", include("pilots.urls")),
    path("credit/lists/", include("credit.list_urls")),  # 重点监管名单
    path("credit/", include("credit.urls")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI's start script is served as a file (?script), not inline: the CSP (core/csp.py) holds there too.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path(
        "api/redoc/",
        csp_update(worker_src="'self' blob:")(SpectacularRedocView.as_view(url_name="schema")),
        name="api-redoc",
    ),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
