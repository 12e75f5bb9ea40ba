from django.urls import path
from rest_framework.routers import SimpleRouter

from assessment.api import views, year_views

router = SimpleRouter()
router.register("assessment/rubrics", views.RubricViewSet)
router.register("assessment/rubric-items", views.RubricItemViewSet)
router.register("assessment/targets", views.AnnualTargetViewSet)
router.register("assessment/submissions", views.SubmissionViewSet)
router.register("assessment/evidence", views.EvidenceViewSet)
router.register("assessment/adjustments", views.AdjustmentViewSet)
router.register("assessment/exceptions", views.DeadlineExceptionViewSet)
router.register("assessment/audit", views.AuditEntryViewSet)
urlpatterns = [
    path("assessment/ranking/", views.MonthlyRankingView.as_view(), name="assessment-ranking"),
    path("assessment/annual-scores/", views.AnnualScoresView.as_view(), name="assessment-annual-scores"),
    path("assessment/years/", year_views.StartYearView.as_view(), name="assessment-start-year"),
    *router.urls,
]
