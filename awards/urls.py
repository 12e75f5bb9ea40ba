from django.urls import path

from awards import views

app_name = "awards"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogue/", views.CatalogueView.as_view(), name="catalogue"),
    path("catalogue/<int:pk>/change/", views.AwardValueCreateView.as_view(), name="award-value-create"),
    path("records/", views.AwardRecordListView.as_view(), name="record-list"),
    path("records/new/", views.AwardRecordCreateView.as_view(), name="record-create"),
    path("records/<int:pk>/", views.AwardRecordDetailView.as_view(), name="record-detail"),
    path("ledger/", views.LedgerView.as_view(), name="ledger"),
    path("enterprises/<int:pk>/", views.EnterpriseRecordView.as_view(), name="enterprise-record"),
    path("danhe/", views.DanheListView.as_view(), name="danhe-list"),
    path("danhe/new/", views.DanheStartView.as_view(), name="danhe-start"),
    path("danhe/<int:pk>/", views.DanheDetailView.as_view(), name="danhe-detail"),
    path("savings/", views.SavingsBonusListView.as_view(), name="savings-list"),
    path("savings/new/", views.SavingsBonusCreateView.as_view(), name="savings-create"),
    path("design/", views.DesignBonusListView.as_view(), name="design-list"),
    path("design/new/", views.DesignBonusCreateView.as_view(), name="design-create"),
]
