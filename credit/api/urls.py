from django.urls import path
from rest_framework.routers import DefaultRouter

from credit.api import views

router = DefaultRouter()
router.register("credit-entries", views.CreditEntryViewSet, basename="creditentry")
router.register("credit-standings", views.CreditStandingViewSet, basename="creditstanding")
router.register("credit-appeals", views.CreditAppealViewSet, basename="creditappeal")
router.register("credit-rules", views.CreditRuleViewSet, basename="creditrule")
urlpatterns = [
    path("enterprises/<int:pk>/credit/", views.EnterpriseCreditView.as_view(), name="enterprise-credit"),
    *router.urls,
]
