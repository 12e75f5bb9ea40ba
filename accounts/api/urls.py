from rest_framework.routers import DefaultRouter

from accounts.api import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("enterprises", views.EnterpriseViewSet)
router.register("users", views.UserViewSet)
urlpatterns = router.urls
