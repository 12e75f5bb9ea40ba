"""PLACEHOLDER (branch h-lists only): the 诚信档案 pages are built on another branch, whose credit/urls.py replaces
this file at the merge. It only gives the lists and the tender reference the URL name they link to."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

app_name = "credit"


@login_required
def enterprise_detail(request, pk):
    return HttpResponse("诚信档案（占位页）")


urlpatterns = [
    path("enterprises/<int:pk>/", enterprise_detail, name="enterprise-detail"),
]
