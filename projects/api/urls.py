from django.urls import path
from rest_framework.routers import DefaultRouter

from projects.api import views

router = DefaultRouter()
router.register("projects", views.ProjectViewSet)
router.register("participants", views.ParticipantViewSet)
router.register("constraint-records", views.ConstraintRecordViewSet)
router.register("monthly-reports", views.MonthlyReportViewSet)
router.register("goal-rules", views.GoalRuleViewSet)
urlpatterns = [
    path("cultivation-ratios/", views.CultivationRatioView.as_view(), name="cultivation-ratios"),
    path("milestone-laggards/", views.LaggardView.as_view(), name="milestone-laggards"),
    path("unmet-goals/", views.UnmetGoalView.as_view(), name="unmet-goals"),
    *router.urls,
]
