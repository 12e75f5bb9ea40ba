from django.urls import path
from django.views.generic import RedirectView

from projects import programme_views, views

app_name = "projects"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="projects:project-list"), name="index"),
    path("list/", views.ProjectListView.as_view(), name="project-list"),
    path("mine/", views.MyProjectListView.as_view(), name="my-projects"),
    path("new/", views.ProjectCreateView.as_view(), name="project-create"),
    path("<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("<int:pk>/edit/", views.ProjectUpdateView.as_view(), name="project-update"),
    path("<int:pk>/stage/", views.StageChangeView.as_view(), name="stage-change"),
    path("<int:pk>/participants/new/", views.ParticipantCreateView.as_view(), name="participant-create"),
    path(
        "<int:pk>/participants/<int:participant_pk>/edit/",
        views.ParticipantUpdateView.as_view(),
        name="participant-update",
    ),
    path("<int:pk>/constraints/new/", views.ConstraintCreateView.as_view(), name="constraint-create"),
    path("<int:pk>/milestones/<str:kind>/", programme_views.MilestoneSetView.as_view(), name="milestone-set"),
    path("laggards/", programme_views.LaggardListView.as_view(), name="laggard-list"),
    path("goals/", programme_views.UnmetGoalListView.as_view(), name="unmet-goal-list"),
    path("goals/rules/", programme_views.GoalRuleListView.as_view(), name="goal-rule-list"),
    path("goals/rules/new/", programme_views.GoalRuleFormView.as_view(), name="goal-rule-create"),
    path("goals/rules/<int:pk>/edit/", programme_views.GoalRuleFormView.as_view(), name="goal-rule-update"),
    path("participants/", views.ParticipantListView.as_view(), name="participant-list"),
    path("constraints/", views.ConstraintListView.as_view(), name="constraint-list"),
    path("constraints/<int:pk>/status/", views.ConstraintStatusView.as_view(), name="constraint-status"),
    path("reports/", views.MonthlyReportListView.as_view(), name="report-list"),
    path("reports/review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("reports/new/", views.MonthlyReportCreateView.as_view(), name="report-create"),
    path("reports/template/", views.ReportTemplateView.as_view(), name="report-template"),
    path("reports/import/", views.ReportImportView.as_view(), name="report-import"),
    path("reports/<int:pk>/", views.MonthlyReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", views.MonthlyReportUpdateView.as_view(), name="report-update"),
    path(
        "reports/<int:pk>/<str:action>/",
        views.MonthlyReportActionView.as_view(),
        name="report-action",
    ),
]
