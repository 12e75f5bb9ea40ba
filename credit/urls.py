from django.urls import path

from credit import views

app_name = "credit"
urlpatterns = [
    path("", views.index, name="index"),
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/<int:pk>/", views.RecordView.as_view(), name="record"),
    path("mine/", views.MyRecordView.as_view(), name="mine"),
    path("entries/<int:pk>/appeal/", views.AppealCreateView.as_view(), name="appeal-create"),
    path("appeals/", views.AppealListView.as_view(), name="appeal-list"),
    path("appeals/<int:pk>/", views.AppealDetailView.as_view(), name="appeal-detail"),
    path("appeals/documents/<int:pk>/", views.AppealDocumentView.as_view(), name="appeal-document"),
    path("rule/", views.RuleView.as_view(), name="rule"),
    path("rule/edit/", views.RuleEditView.as_view(), name="rule-edit"),
    path("rule/<int:version>/", views.RuleVersionView.as_view(), name="rule-version"),
]
