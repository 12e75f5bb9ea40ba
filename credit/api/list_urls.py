from rest_framework.routers import DefaultRouter

from credit.api import list_views

router = DefaultRouter()
router.register("credit-watchlist", list_views.WatchlistViewSet, basename="credit-watchlist")
urlpatterns = router.urls
