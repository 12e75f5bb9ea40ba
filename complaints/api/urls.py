from rest_framework.routers import DefaultRouter

from complaints.api import views

router = DefaultRouter()
router.register("complaints", views.ComplaintViewSet)
urlpatterns = router.urls
