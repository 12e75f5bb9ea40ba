from django.urls import path

from pilots import views

app_name = "pilots"

urlpatterns = [
    path("", views.ProgrammeView.as_view(), name="programme"),
    path("list/", views.PilotListView.as_view(), name="pilot-list"),
    path("apply/", views.ApplyView.as_view(), name="pilot-apply"),
    path("<int:pk>/", views.PilotDetailView.as_view(), name="pilot-detail"),
    path(
        "<int:pk>/<slug:action>/",
        views.PilotActionView.as_view(),
        name="pilot-action",
    ),
    path("plans/<int:pk>/file/", views.PlanFileView.as_view(), name="plan-file"),
]
