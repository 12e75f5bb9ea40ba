"""The bureau's credit lists (login), mounted under /credit/lists/ by config/urls.py."""

from django.urls import path

from credit import list_views

app_name = "credit_lists"
urlpatterns = [
    path("watchlist/", list_views.WatchlistView.as_view(), name="watchlist"),
]
