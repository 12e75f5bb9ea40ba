"""Web views of the credit lists: the public 红榜 and 黑名单 (no login, through ``credit.public``) and the internal
重点监管名单 for the bureau's staff (with its Excel export)."""

from __future__ import annotations

from django.utils import timezone
from django.views.generic import ListView

from accounts import roles
from core.views import ClampedPaginationMixin, ScopedListView, ScopedQuerysetMixin
from credit import lists, public
from credit.list_exports import WATCHLIST_COLUMNS
from credit.list_filters import PublicListFilter, WatchlistFilter
from credit.models import CreditStanding
from credit.services import current_rule


# --- public (no login) -----------------------------------------------------------------------------
class PublicListView(ClampedPaginationMixin, ListView):
    """红榜 / 黑名单: who the rule puts there, searchable by name or 统一社会信用代码."""

    kind = ""
    paginate_by = 20

    def get_queryset(self):
        qs = lists.public_list(self.kind)
        self.filterset = PublicListFilter(self.request.GET or None, queryset=qs, request=self.request)
        if self.filterset.is_bound and self.filterset.is_valid():
            qs = self.filterset.qs
        return qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        ctx["filter"] = self.filterset
        ctx["rows"] = public.build_page(self.kind, ctx["object_list"], today)
        ctx["today"] = today
        ctx["rule"] = current_rule(today).to_rule()
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx


class RedlistView(PublicListView):
    kind = lists.REDLIST
    template_name = "credit/public_redlist.html"
    extra_context = {"public_tab": "redlist"}


class BlacklistView(PublicListView):
    kind = lists.BLACKLIST
    template_name = "credit/public_blacklist.html"
    extra_context = {"public_tab": "blacklist"}


# --- staff ----------------------------------------------------------------------------------------
class WatchlistRowsMixin(ScopedQuerysetMixin):
    """The base rows of the list: the user's visible standings on the watchlist, annotated (``lists.watchlist``);
    ``ScopedListView`` filters and sorts them."""

    def get_queryset(self):
        return lists.watchlist(self.request.user)


class WatchlistView(ScopedListView, WatchlistRowsMixin):
    """重点监管名单: grades C and D, worst first, with the bad entries in force behind them."""

    allowed_roles = roles.MANAGERS
    model = CreditStanding
    template_name = "credit/list_watchlist.html"
    filterset_class = WatchlistFilter
    ordering_fields = ("score", "bad_in_force", "latest_bad_on", "enterprise__name")
    export_filename = "重点监管名单"
    export_columns = WATCHLIST_COLUMNS
