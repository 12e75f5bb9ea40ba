"""The credit lists on the public site (no login), mounted under /disclosure/credit/ by config/urls.py."""

from django.urls import path

from credit import list_views

app_name = "credit_public"
urlpatterns = [
    path("redlist/", list_views.RedlistView.as_view(), name="redlist"),
    path("blacklist/", list_views.BlacklistView.as_view(), name="blacklist"),
]
