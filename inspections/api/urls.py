from rest_framework.routers import DefaultRouter

from inspections.api import views

router = DefaultRouter()
router.register("inspection-plans", views.PlanViewSet, basename="inspectionplan")
router.register("inspections", views.InspectionViewSet, basename="inspection")
router.register("rectification-notices", views.NoticeViewSet, basename="rectificationnotice")
urlpatterns = router.urls
