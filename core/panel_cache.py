"""Cached dashboard panels (and other aggregates): what changes monthly is computed once per scope, not per request.

``@cached_panel("assessment.Submission", …)`` on a panel's context function keeps its result in Django's cache
under a key made of the user's scope (role, county, enterprise), the request's query string, today's date and
one version token per named model. Saving or deleting a row of any named model replaces that model's token
(``post_save``/``post_delete``: at once, and again when the write's transaction commits, so a request that
recomputed in between with the old rows cannot keep them under the new token), so the next request recomputes; ``DASHBOARD_CACHE_SECONDS`` bounds the life of
an entry anyway (bulk ``update()`` calls send no signal). With several processes set ``CACHE_URL`` (Redis) so
they share the entries and the tokens. ``cached_value`` is the same for any other computed read (the points
ledger's ranked rows: awards.querysets.cached_ledger_rows).

The cache is never a dependency (``core.cache``): with it down every read is a miss (computed from the database)
and every write is skipped, so no request fails and no write rolls back for it; a version token that could not
be replaced is replaced by this process as soon as the cache answers again.
"""

from __future__ import annotations

import hashlib
import time
import uuid
import weakref
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import QueryDict
from django.utils import timezone

from core import cache, outbox

VERSION_KEY = "dashboard:version:{}"


_unsaved_versions: set[str] = set()  # tokens this process could not replace while the cache was down


def _set_version(label: str) -> None:
    if not cache.set(VERSION_KEY.format(label), uuid.uuid4().hex, None):
        _unsaved_versions.add(label)


def _replace_unsaved_versions() -> None:
    """After an outage: replace the tokens of the models written while the cache was down."""
    for label in list(_unsaved_versions):
        if not cache.available():
            return
        _unsaved_versions.discard(label)
        _set_version(label)


_awaiting_commit: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # connection → labels changed in it


def _bump(sender, **kwargs) -> None:
    _changed(sender._meta.label_lower, kwargs.get("using") or "default")


def _changed(label: str, using: str = "default") -> None:
    """``label``'s rows changed: replace its token now and, once the transaction commits, again — and have the
    worker recompute the panels that read it (the first hook to run after the commit flushes every label the
    transaction changed: one recompute message per transaction, however many rows it wrote)."""
    _set_version(label)
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        _schedule_refresh({label})
        return
    _awaiting_commit.setdefault(connection, set()).add(label)
    transaction.on_commit(lambda: _flush(connection), using=using)


def _flush(connection) -> None:
    labels = _awaiting_commit.pop(connection, None)
    if labels:
        for label in labels:
            _set_version(label)
        _schedule_refresh(labels)


COUNT_KEY = "list:count:{}:{}:{}"
COUNT_SECONDS = 60  # a count read while an insert was not yet committed is kept at most this long


def _bump_rows(sender, created=True, **kwargs) -> None:
    """A row was inserted or deleted (what changes an unfiltered list's count)."""
    if created:
        _bump(sender)


def connect_row_counts() -> None:
    """Every model's insert and delete replace its version token, in every process (called at start-up)."""
    post_save.connect(_bump_rows, weak=False, dispatch_uid="panel-cache:row-counts:save")
    post_delete.connect(_bump_rows, weak=False, dispatch_uid="panel-cache:row-counts:delete")


def cached_count(model, compute: Callable, variant: object = ""):
    """The count of an unfiltered list of ``model`` (``compute()`` → ``(count, is_estimate)``), for tables of at
    least ``KEEP_COUNTS_FROM`` rows kept until a row of it is inserted or deleted
    (``connect_row_counts``) or for a minute (``COUNT_SECONDS``: a request that counted while an insert was
    still uncommitted may have kept the old count under the new token); ``variant`` tells apart counts made differently
    (e.g. with another estimate threshold). Bulk inserts send no signal: the count of such a
    table may lag by that minute (no list table is written in bulk)."""
    seconds = min(settings.DASHBOARD_CACHE_SECONDS, COUNT_SECONDS)
    if not seconds or not settings.LIST_CACHE:  # only with a cache every process shares
        return compute()
    _replace_unsaved_versions()
    label = model._meta.label_lower
    key = COUNT_KEY.format(label, cache.get(VERSION_KEY.format(label), "0"), variant)
    value = cache.get(key)
    if value is None:
        value = compute()
        # Only big tables' counts are kept (they cost; a row more or less is nothing there). A small table is
        # counted every time: a count kept by a race with an uncommitted insert could hide its newest row.
        if value is not None and value[0] >= settings.KEEP_COUNTS_FROM:
            cache.set(key, value, seconds)
    return value


def invalidate(*labels: str) -> None:
    """Drop every cached panel that depends on these models (for writes that send no signal); the worker
    recomputes the panels people look at."""
    for label in labels:
        _changed(label.lower())


def scope_key(user) -> str:
    return f"{getattr(user, 'role', '')}:{getattr(user, 'region_id', '')}:{getattr(user, 'enterprise_id', '')}"


def connect(*labels: str) -> tuple[str, ...]:
    """Replace a model's version token whenever one of its rows is saved or deleted."""
    labels = tuple(label.lower() for label in labels)
    for label in labels:
        for signal in (post_save, post_delete):
            signal.connect(_bump, sender=label, weak=False, dispatch_uid=f"panel-cache:{label}:{id(signal)}")
    return labels


def cached_value(name: str, request, labels: tuple[str, ...], compute: Callable, *, query: str | None = None):
    """``compute()`` once per user scope, query string (``query``, else the request's), day and version of the
    ``labels`` models (see above)."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if not seconds:
        return compute()
    _replace_unsaved_versions()
    versions = cache.get_many([VERSION_KEY.format(label) for label in labels])
    parts = [
        scope_key(request.user),
        request.GET.urlencode() if query is None else query,
        timezone.localdate().isoformat(),
        *(str(versions.get(VERSION_KEY.format(label), "0")) for label in labels),
    ]
    digest = hashlib.sha1("|".join(parts).encode()).hexdigest()
    key = f"dashboard:panel:{name}:{digest}"
    entry = cache.get(key)
    if entry is None:
        entry = {"ctx": compute()}
        cache.set(key, entry, seconds)
    return entry["ctx"]


class CachedRows:
    """Computed model rows kept as ``(pk, computed attributes)``: a slice (a page) loads just its rows by primary
    key — one query — and puts the computed attributes back, so a cache hit unpickles plain tuples, not thousands
    of model instances. A row deleted since is skipped (its deletion also drops the cached entry)."""

    def __init__(self, model, entries: list[tuple]):
        self.model = model
        self.entries = entries

    @classmethod
    def of(cls, rows) -> CachedRows:
        rows = list(rows)
        model = type(rows[0]) if rows else None
        stored = {f.attname for f in model._meta.concrete_fields} if model else set()
        entries = [
            (row.pk, {k: v for k, v in row.__dict__.items() if k not in stored and not k.startswith("_")})
            for row in rows
        ]
        return cls(model, entries)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return self._load(self.entries[index])
        return self._load([self.entries[index]])[0]

    def __iter__(self):
        return iter(self._load(self.entries))

    def _load(self, entries) -> list:
        if not entries:
            return []
        loaded = self.model._base_manager.in_bulk([pk for pk, _ in entries])
        rows = []
        for pk, computed in entries:
            row = loaded.get(pk)
            if row is not None:
                row.__dict__.update(computed)
                rows.append(row)
        return rows


def cached_rows(name: str, request, labels: tuple[str, ...], build: Callable, *, query: str | None = None):
    """``build()`` (model rows with computed attributes) through ``cached_value`` as ``CachedRows``; ``build()``
    itself unless ``LIST_CACHE`` (a cache every process shares: another process's change must reach this one)."""
    if not settings.LIST_CACHE:
        return build()
    return cached_value(name, request, labels, lambda: CachedRows.of(build()), query=query)


# --- dashboard panels: kept warm by the worker, never computed cold by a request that has an older copy ------

KEEP_SECONDS = 2 * 24 * 3600  # a panel's last value is kept this long (served, marked 更新中, while recomputed)
VIEWERS_KEY = "dashboard:viewers"  # the scopes whose panels the worker recomputes after a change
REFRESH_TASK = "core.tasks.refresh_panels"
REFRESH_ONE_TASK = "core.tasks.refresh_panel"
REFRESHING_SECONDS = 60  # a recompute asked for by a request is not asked for again within this

_panels: dict[str, tuple[Callable, tuple[str, ...]]] = {}  # name → (uncached function, labels)
_panel_labels: set[str] = set()


def _panel_key(name: str, scope: str, query: str) -> str:
    return f"dashboard:panel:{name}:{hashlib.sha1(f'{scope}|{query}'.encode()).hexdigest()}"


def _token(labels: tuple[str, ...]) -> str:
    """What a panel's value was computed from: today's date and the version of every model it reads."""
    versions = cache.get_many([VERSION_KEY.format(label) for label in labels])
    parts = [timezone.localdate().isoformat(), *(str(versions.get(VERSION_KEY.format(lb), "0")) for lb in labels)]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()


def _fresh(entry: dict, token: str) -> bool:
    return entry.get("token") == token and time.time() - entry.get("at", 0) < settings.DASHBOARD_CACHE_SECONDS


def _store(key: str, ctx, token: str) -> float:
    at = time.time()
    cache.set(key, {"ctx": ctx, "token": token, "at": at}, KEEP_SECONDS)
    return at


def _served(request, key: str, token: str, at) -> None:
    """Which kept value the request was served (``panel_html`` keys the panel's HTML on it)."""
    try:
        request._served_panel = f"{key}:{token}:{at}"
    except AttributeError:  # a request object that takes no attributes: nothing to remember
        pass


_PROCESS = uuid.uuid4().hex  # a deploy's new processes write the cards from their own templates


def served_panel(request) -> str | None:
    """The kept value the request was last served (None: computed without the cache, or not a kept value)."""
    return getattr(request, "_served_panel", None)


def panel_html(served: str | None, template: str, render: Callable[[], str]) -> str:
    """A panel card's HTML, kept beside the value it shows: the page of a city of 120 counties spent most of its
    time writing the same cards (13 panels, ~200 KB) from the same kept values. Only for a panel whose context is
    one ``cached_panel`` value (its HTML depends on that value, the scope's role and the query string, all in the
    value's key): ``served`` names the value (``served_panel``), so a recomputed value is a new HTML. ``render()``
    writes it when it is not kept (or the cache is down)."""
    if served is None:
        return render()
    key = f"dashboard:html:{hashlib.sha1(f'{served}|{template}|{_PROCESS}'.encode()).hexdigest()}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, str(html), KEEP_SECONDS)
    return html


def _remember_viewer(key: str, name: str, user_id, query: str) -> None:
    """The worker recomputes this scope's panel after a change (the ``DASHBOARD_REFRESH_SCOPES`` latest scopes;
    only the page's own view, without a query string)."""
    if query or user_id is None:
        return
    viewers = cache.get(VIEWERS_KEY) or {}
    if key in viewers:
        return
    viewers[key] = (name, user_id)
    while len(viewers) > settings.DASHBOARD_REFRESH_SCOPES:
        viewers.pop(next(iter(viewers)))
    cache.set(VIEWERS_KEY, viewers, KEEP_SECONDS)


def _schedule_refresh(labels: set[str]) -> None:
    """After a committed change of ``labels``: the worker recomputes the panels people look at that read them."""
    labels = labels & _panel_labels
    if not labels or not settings.DASHBOARD_CACHE_SECONDS:
        return
    viewers = cache.get(VIEWERS_KEY) or {}
    if any(labels & set(_panels.get(name, (None, ()))[1]) for name, _user in viewers.values()):
        outbox.enqueue(REFRESH_TASK, sorted(labels))


class PanelRequest:
    """What a panel reads of a request, for the worker: the user and the query string."""

    method = "GET"
    path = "/"

    def __init__(self, user, query: str = ""):
        self.user = user
        self.GET = QueryDict(query)
        self.META: dict = {}


def _compute(name: str, request) -> None:
    func, labels = _panels[name]
    key = _panel_key(name, scope_key(request.user), request.GET.urlencode())
    token = _token(labels)  # read before computing: a change meanwhile leaves the value stale, as it is
    _store(key, func(request), token)
    cache.delete(f"{key}:refreshing")


def refresh(labels: list[str] | None = None) -> int:
    """The worker: recompute the panels of the remembered scopes that read ``labels`` (all if None) and are not
    fresh already; the number recomputed."""
    from django.contrib.auth import get_user_model

    wanted = set(labels) if labels is not None else None
    viewers = cache.get(VIEWERS_KEY) or {}
    users = get_user_model()._default_manager.in_bulk({user_id for _name, user_id in viewers.values()})
    done = 0
    for key, (name, user_id) in viewers.items():
        if name not in _panels or user_id not in users:
            continue
        _func, panel_labels = _panels[name]
        if wanted is not None and not wanted & set(panel_labels):
            continue
        entry = cache.get(key)
        if entry is not None and _fresh(entry, _token(panel_labels)):
            continue
        _compute(name, PanelRequest(users[user_id]))
        done += 1
    return done


def refresh_one(names: list[str], user_id, query: str = "") -> None:
    """The worker: recompute one scope's panels (asked for by a request that was served their older values)."""
    from django.contrib.auth import get_user_model

    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is None:
        return
    for name in names:
        if name in _panels:
            _compute(name, PanelRequest(user, query))


def ask_refresh(request) -> None:
    """After a page showed its panels: one message asks the worker to recompute those served older (更新中)."""
    names = getattr(request, "_panels_to_refresh", None)
    if names:
        outbox.enqueue(REFRESH_ONE_TASK, names, request.user.pk, request.GET.urlencode())
        request._panels_to_refresh = []


def refreshing_panels(request) -> list[str]:
    """The panels this request was served an outdated value of (a recompute is under way): shown as 更新中."""
    return getattr(request, "_refreshing_panels", [])


class PanelPending(Exception):
    """Raised instead of computing a panel with no value for the scope, in a request that defers such panels
    (``defer_uncached``): the dashboard shows a placeholder that loads the panel on its own."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def defer_uncached(request) -> None:
    """From now on, a panel this request finds no value for raises ``PanelPending`` instead of being computed
    (the 驾驶舱 page itself: it costs only cache reads; each panel's fragment computes its one panel)."""
    request._defer_uncached_panels = True


def panel_value(name: str, request):
    """A panel's value for this request's scope and query string. Fresh: from the cache. Older and
    ``DASHBOARD_SERVE_STALE``: the older value while the worker recomputes it — marked 更新中 when its data (or the
    day) changed since, unmarked when it is merely older than ``DASHBOARD_CACHE_SECONDS``. Never computed for this
    scope, evicted, or the cache is down: computed here, or ``PanelPending`` if the request defers such panels
    (``defer_uncached``)."""
    func, labels = _panels[name]
    if not settings.DASHBOARD_CACHE_SECONDS:
        return func(request)
    _replace_unsaved_versions()
    query = request.GET.urlencode()
    key = _panel_key(name, scope_key(request.user), query)
    entry = cache.get(key)
    token = _token(labels)
    if entry is not None and _fresh(entry, token):
        _served(request, key, entry["token"], entry.get("at"))
        return entry["ctx"]
    if entry is not None and settings.DASHBOARD_SERVE_STALE:
        if not hasattr(request, "_refreshing_panels"):
            request._refreshing_panels, request._panels_to_refresh = [], []
        if entry.get("token") != token:  # its data changed (or the day did): marked 更新中; merely old: not
            request._refreshing_panels.append(name)
        if cache.add(f"{key}:refreshing", 1, REFRESHING_SECONDS):  # not asked for already
            request._panels_to_refresh.append(name)
        _served(request, key, entry["token"], entry.get("at"))
        return entry["ctx"]
    if getattr(request, "_defer_uncached_panels", False):
        raise PanelPending(name)
    ctx = func(request)
    _served(request, key, token, _store(key, ctx, token))
    if entry is None:
        _remember_viewer(key, name, request.user.pk, query)
    return ctx


def cached_panel(*models: str) -> Callable:
    labels = connect(*models)

    def decorate(func: Callable) -> Callable:
        name = f"{func.__module__}.{func.__qualname__}"
        _panels[name] = (func, labels)
        _panel_labels.update(labels)

        @wraps(func)
        def panel(request):
            return panel_value(name, request)

        panel.uncached = func
        panel.panel_name = name
        return panel

    return decorate


def top_and_bottom(rows: list, *, limit: int = 20, n: int = 10) -> tuple[list, int]:
    """All rows when there are at most ``limit``, else the first and the last ``n`` (rows are already ranked);
    with the number of rows left out in between."""
    if len(rows) <= limit:
        return rows, 0
    return [*rows[:n], *rows[-n:]], len(rows) - 2 * n
