from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="list"),
    path("<int:pk>/status/", views.ReportStatusView.as_view(), name="status"),
    path("<int:pk>/download/<str:kind>/", views.ReportDownloadView.as_view(), name="download"),
]
