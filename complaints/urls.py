from django.urls import path

from complaints import views

app_name = "complaints"
urlpatterns = [
    # public, no login
    path("new/", views.PublicComplaintView.as_view(), name="public-new"),
    path("receipt/", views.PublicReceiptView.as_view(), name="public-receipt"),
    path("status/", views.PublicStatusView.as_view(), name="public-status"),
    path("status/visit/", views.PublicReturnVisitView.as_view(), name="public-visit"),
    path("projects/", views.public_project_search, name="public-projects"),
    # the ledger (staff)
    path("", views.LedgerListView.as_view(), name="ledger"),
    path("enter/", views.StaffEntryView.as_view(), name="enter"),
    path("analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("<int:pk>/", views.ComplaintDetailView.as_view(), name="detail"),
    path("<int:pk>/print/<slug:kind>.pdf", views.ComplaintPdfView.as_view(), name="pdf"),
    path("<int:pk>/contact/", views.ContactRevealView.as_view(), name="contact"),
    path(
        "<int:pk>/<slug:action>/",
        views.ComplaintActionView.as_view(),
        name="action",
    ),
    path("photos/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("categories/", views.CategoryView.as_view(), name="categories"),
]
