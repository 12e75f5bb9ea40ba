from rest_framework.routers import DefaultRouter

from reports.api import views

router = DefaultRouter()
router.register("reports", views.ReportArchiveViewSet)
router.register("notifications", views.NotificationViewSet)
urlpatterns = router.urls
