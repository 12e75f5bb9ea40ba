"""Base web views: login required, the user's scope applied, Excel export, and the dashboard."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView

from core import cache, fonts, outbox, panel_cache, registry
from core.api.pagination import EstimatedCountPaginator
from core.db import replica_reads
from core.exports import Column, xlsx_response
from core.filters import humanize_filter_form
from core.registry import panels_for
from core.widgets import make_searchable


def favicon(request):
    """/favicon.ico (asked for by every browser, PDFs and error pages included): the vendored icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


class RoleRequiredMixin(LoginRequiredMixin):
    """Restrict a view to some roles (``allowed_roles``); everyone signed in when empty."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.allowed_roles and request.user.role not in self.allowed_roles:
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)


class CityAdminRequiredMixin(RoleRequiredMixin):
    """The city admin only, asked of the user (``User.is_city_admin``): core names no role of accounts."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_city_admin:
            raise PermissionDenied("您的角色无权访问此页面。")
        return super().dispatch(request, *args, **kwargs)


class ScopedQuerysetMixin(RoleRequiredMixin):
    """get_queryset() = model.objects.visible_to(user): objects outside the scope are 404."""

    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[str, ...] = ()

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        if self.prefetch_related:
            qs = qs.prefetch_related(*self.prefetch_related)
        return qs


MAX_PAGE_SIZE = 500


def page_size(request, default: int) -> int:
    """``?page_size=`` clamped to 1–500 (anything not a number: ``default``), for every paginated web list."""
    try:
        size = int(request.GET.get("page_size", default))
    except ValueError:
        size = default
    return max(1, min(size, MAX_PAGE_SIZE))


class ClampedPaginationMixin:
    """``?page=999`` shows the last page and ``?page=abc`` the first, instead of a 404 (Paginator.get_page);
    ``?page_size=`` picks 1–500 rows a page (anything else: the view's ``paginate_by``)."""

    def get_paginate_by(self, queryset):
        if self.paginate_by is None:
            return None
        return page_size(self.request, self.paginate_by)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        page = paginator.get_page(self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg) or 1)
        return paginator, page, page.object_list, page.has_other_pages()


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    pass


class ScopedListView(ClampedPaginationMixin, ScopedQuerysetMixin, ListView):
    """A filtered, sorted, paginated list with ``?export=xlsx`` (same filters, all rows).

    Subclasses set ``filterset_class`` (the same FilterSet the API uses), ``ordering_fields``
    (allowed ``?sort=`` values) and ``export_columns``.
    """

    paginate_by = 25
    paginator_class = EstimatedCountPaginator  # unfiltered lists of huge tables: the planner's estimate
    filterset_class = None
    ordering_fields: tuple[str, ...] = ()
    default_ordering: tuple[str, ...] = ()
    export_columns: list[Column] = []
    export_filename = "export"

    def get_queryset(self):
        qs = super().get_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET or None, queryset=qs, request=self.request)
            qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else qs
        sort = self.request.GET.get("sort", "")
        if sort and sort.lstrip("-") in self.ordering_fields:
            qs = qs.order_by(sort, "pk")
        elif self.default_ordering:
            qs = qs.order_by(*self.default_ordering)
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            return xlsx_response(
                self.export_filename, [(self.export_filename, self.export_columns, self.get_export_queryset())]
            )
        with replica_reads():  # a list page only reads: the replica when one is configured (core.db)
            response = super().get(request, *args, **kwargs)
            return response.render() if hasattr(response, "render") else response

    def get_export_queryset(self):
        """The exported rows: the list's own (same scope and filters) unless a list exports a subset."""
        return self.get_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["filter"] = self.filterset if self.filterset is not None else None
        if ctx["filter"] is None and self.filterset_class is not None:
            ctx["filter"] = self.filterset_class(None, queryset=self.model.objects.none(), request=self.request)
        if ctx["filter"] is not None:
            humanize_filter_form(ctx["filter"].form, self.request.user)
            make_searchable(ctx["filter"].form)
        ctx["querystring"] = query.urlencode()
        ctx["current_sort"] = self.request.GET.get("sort", "")
        return ctx


class DashboardView(RoleRequiredMixin, TemplateView):
    """The 驾驶舱. With ``DASHBOARD_LAZY_PANELS`` the page costs only cache reads: a panel with no value for the
    user's scope yet (the scope's very first view, an evicted or emptied cache) is a placeholder card that loads
    the panel from ``dashboard_panel`` (one panel per request). ``?panels=all`` (the link for browsers without
    JavaScript) computes them all here, as without the setting."""

    template_name = "core/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        if "panels" in request.GET:  # not part of the panels' query string (their cache key)
            query = request.GET.copy()
            compute_all = query.pop("panels", []) == ["all"]
            request.GET = query
        else:
            compute_all = False
        if settings.DASHBOARD_LAZY_PANELS and settings.DASHBOARD_CACHE_SECONDS and not compute_all:
            panel_cache.defer_uncached(request)
        panels = []
        for panel in panels_for(request.user):
            served_older = len(panel_cache.refreshing_panels(request))
            request._served_panel = None
            try:
                panel_ctx = panel.context(request)
            except panel_cache.PanelPending:
                panels.append({"panel": panel, "key": panel.key, "pending": True})
                continue
            if panel_ctx is not None:
                refreshing = len(panel_cache.refreshing_panels(request)) > served_older
                # The card of one kept value is kept beside it ({% panel_card %}); any other is written each time.
                served = panel_cache.served_panel(request) if hasattr(panel.context, "panel_name") else None
                panels.append(
                    {
                        "ctx": panel_ctx,
                        "template": panel.template,
                        "served": served,
                        "key": panel.key,
                        "refreshing": refreshing,
                    }
                )
        ctx["panels"] = panels
        ctx["panel_query"] = request.GET.urlencode()
        panel_cache.ask_refresh(request)
        # Panels whose data changed and whose recompute is under way show their last value, marked 更新中.
        ctx["refreshing"] = any(p.get("refreshing") for p in panels)
        return ctx


@never_cache
def dashboard_panel(request, key: str):
    """One 驾驶舱 panel's card (the page's placeholder loads it): computed here if its scope has no value yet,
    with the page's query string and the user's scope exactly as the page would. A panel the user's dashboard
    does not show is 404; a panel with nothing to show is an empty answer (the placeholder goes away). Signed
    out (a session that expired with the page open): the login page, for htmx the whole page goes there."""
    if not request.user.is_authenticated:
        response = redirect_to_login(reverse("dashboard"))
        if request.headers.get("HX-Request"):
            location, response = response["Location"], HttpResponse(status=204)
            response["HX-Redirect"] = location
        return response
    panel = registry.panel_for(request.user, key)
    if panel is None:
        raise Http404("未知的面板。")
    panel_ctx = panel.context(request)
    panel_cache.ask_refresh(request)
    if panel_ctx is None:
        return HttpResponse("")
    return render(request, panel.template, {"ctx": panel_ctx})


HEALTHZ_TOKEN_HEADER = "X-Healthz-Token"


def _healthz_details_allowed(request) -> bool:
    """The checks' details (database vendor, broker, outbox backlog) are for the city admin or a monitor that sends
    ``X-Healthz-Token: <HEALTHZ_TOKEN>``; anyone else reads only ok/fail."""
    token = settings.HEALTHZ_TOKEN or ""
    sent = request.headers.get(HEALTHZ_TOKEN_HEADER, "")
    if token and sent and constant_time_compare(sent, token):
        return True
    try:  # the session needs the database, which may be the very thing that is down
        return bool(request.user.is_authenticated and request.user.is_city_admin)
    except Exception:  # noqa: BLE001 - no session, no details
        return False


def health_checks() -> dict:
    """Database, Celery broker and the PDFs' CJK font: {name: {"status": "ok"|"error", …}} (/healthz, 运行状态)."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - any failure is reported
        checks["database"] = {"status": "error", "error": str(exc)[:200]}
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = {"status": "ok", "mode": "eager（进程内同步执行）"}
    else:
        try:
            from kombu import Connection

            with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = {"status": "ok", "mode": conn.transport_cls}
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = {"status": "error", "error": str(exc)[:200]}
    checks["fonts"] = fonts.pdf_font_check()  # the PDFs' CJK font (cached per process)
    return checks


@never_cache
def healthz(request):
    """Liveness/readiness: database, Celery broker and the PDFs' CJK font. 200 ``{"status": "ok"}`` when all are
    there, else 503 ``{"status": "fail"}``; the checks' details (which one failed, why) only for the city admin or
    with the ``HEALTHZ_TOKEN`` header."""
    checks = health_checks()
    healthy = all(c["status"] == "ok" for c in checks.values())
    body = {"status": "ok" if healthy else "fail"}
    if _healthz_details_allowed(request):
        if checks["database"]["status"] == "ok":
            # Work committed but not yet handed to the broker (informative: it waits in the outbox, nothing is lost).
            count, oldest_seconds = outbox.backlog()
            checks["outbox"] = {"status": "ok", "pending": count, "oldest_seconds": oldest_seconds}
        # Informative too: the cache is an optimisation (core.cache), the app answers without it.
        checks["cache"] = {
            "status": "ok" if cache_probe() else "unavailable",
            "failures_since_start": cache.failures(),
        }
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)


def cache_probe() -> bool:
    """Whether the cache answers now (one round trip; a failure is recorded like any other)."""
    try:
        cache.call("get", "healthz:probe")
        return True
    except cache.CacheUnavailable:
        return False


AUTOCOMPLETE_LIMIT = 20


@login_required
def autocomplete(request, kind: str):
    """The searchable selects' source: the first matches (code, name, credit code) the user may see, as JSON."""
    source = registry.autocomplete_source(kind)
    if source is None:
        raise Http404("未知的数据类型。")
    q = request.GET.get("q", "").strip()[:100]
    results = [{"id": pk, "text": text} for pk, text in source(request.user, q, AUTOCOMPLETE_LIMIT)]
    return JsonResponse({"results": results, "more": len(results) == AUTOCOMPLETE_LIMIT})
