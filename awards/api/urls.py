from rest_framework.routers import DefaultRouter

from awards.api import views

router = DefaultRouter()
router.register("award-catalogue", views.AwardViewSet, basename="award")
router.register("award-values", views.AwardValueViewSet, basename="awardvalue")
router.register("award-records", views.AwardRecordViewSet, basename="awardrecord")
router.register("points-ledger", views.LedgerViewSet, basename="points-ledger")
router.register("danhe-selections", views.DanheSelectionViewSet, basename="danheselection")
router.register("savings-bonuses", views.SavingsBonusViewSet, basename="savingsbonus")
router.register("design-bonuses", views.DesignBonusViewSet, basename="designbonus")
urlpatterns = router.urls
