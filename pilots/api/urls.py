from rest_framework.routers import DefaultRouter

from pilots.api import views

router = DefaultRouter()
router.register("pilots", views.PilotViewSet)
router.register("pilot-reviews", views.PilotReviewViewSet)
router.register("pilot-checks", views.PilotCheckViewSet)
urlpatterns = router.urls
