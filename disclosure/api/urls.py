from rest_framework.routers import DefaultRouter

from disclosure.api import views

router = DefaultRouter()
router.register("public/projects", views.PublicProjectViewSet, basename="public-project")
router.register("disclosures", views.ProjectDisclosureViewSet)
urlpatterns = router.urls
