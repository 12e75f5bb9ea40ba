from rest_framework.routers import DefaultRouter

from evaluation.api import views

router = DefaultRouter()
router.register("evaluation-templates", views.CriteriaTemplateViewSet)
router.register("veto-items", views.VetoItemViewSet)
router.register("evaluations", views.EvaluationViewSet)
router.register("score-sheets", views.ScoreSheetViewSet)
router.register("jingpin-library", views.LibraryViewSet, basename="jingpin-library")
urlpatterns = router.urls
