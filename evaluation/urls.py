from django.urls import path

from evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.EvaluationListView.as_view(), name="evaluation-list"),
    path("new/", views.EvaluationCreateView.as_view(), name="evaluation-create"),
    path("<int:pk>/", views.EvaluationDetailView.as_view(), name="evaluation-detail"),
    path("<int:pk>/panel/add/", views.AssignExpertView.as_view(), name="panel-add"),
    path("<int:pk>/panel/remove/", views.RemoveExpertView.as_view(), name="panel-remove"),
    path("<int:pk>/close/", views.CloseEvaluationView.as_view(), name="evaluation-close"),
    path("<int:pk>/demonstration/", views.DemonstrationView.as_view(), name="evaluation-demonstration"),
    path("<int:pk>/report.pdf", views.EvaluationReportView.as_view(), name="evaluation-report"),
    path("<int:pk>/my-sheet/", views.MySheetView.as_view(), name="my-sheet"),
    path("sheets/<int:pk>/", views.SheetDetailView.as_view(), name="sheet-detail"),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/<int:pk>/", views.TemplateDetailView.as_view(), name="template-detail"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template-edit"),
    path("vetoes/<int:pk>/toggle/", views.VetoToggleView.as_view(), name="veto-toggle"),
    path("library/", views.LibraryView.as_view(), name="library"),
    path("reviews/", views.ReviewListView.as_view(), name="review-list"),
    path("reviews/<int:pk>/", views.ReviewDetailView.as_view(), name="review-detail"),
    path("reviews/<int:pk>/decide/", views.ReviewDecideView.as_view(), name="review-decide"),
    path("library/<int:pk>/add/", views.AddToLibraryView.as_view(), name="library-add"),
]
