from django.urls import path

from assessment import views, year_views

app_name = "assessment"
urlpatterns = [
    path("", views.SubmissionListView.as_view(), name="submission-list"),
    path("review/", views.ReviewQueueView.as_view(), name="review-queue"),
    path("start/", views.StartSubmissionView.as_view(), name="submission-start"),
    path("submissions/<int:pk>/", views.SubmissionDetailView.as_view(), name="submission-detail"),
    path("submissions/<int:pk>/edit/", views.SubmissionEditView.as_view(), name="submission-edit"),
    path("submissions/<int:pk>/check/", views.PresendCheckView.as_view(), name="submission-check"),
    path("submissions/<int:pk>/preview/", views.PreviewView.as_view(), name="submission-preview"),
    path("submissions/<int:pk>/prefill/", views.PrefillView.as_view(), name="submission-prefill"),
    path("submissions/<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence-upload"),
    path("submissions/<int:pk>/return/", views.ReturnView.as_view(), name="submission-return"),
    path("submissions/<int:pk>/approve/", views.ApproveView.as_view(), name="submission-approve"),
    path("submissions/<int:pk>/publish/", views.PublishView.as_view(), name="submission-publish"),
    path("submissions/<int:pk>/reopen/", views.ReopenView.as_view(), name="submission-reopen"),
    path("submissions/<int:pk>/adjust/", views.AdjustView.as_view(), name="submission-adjust"),
    path("submissions/<int:pk>/manual-score/", views.ManualScoreView.as_view(), name="submission-manual-score"),
    path("submissions/<int:pk>/paper/", views.PaperView.as_view(), name="submission-paper"),
    path(
        "submissions/<int:pk>/paper-deduction/", views.PaperDeductionView.as_view(), name="submission-paper-deduction"
    ),
    path("submissions/<int:pk>/paper-accept/", views.PaperAcceptView.as_view(), name="submission-paper-accept"),
    path(
        "paper-acceptances/<int:pk>/withdraw/",
        views.PaperAcceptanceWithdrawView.as_view(),
        name="paper-acceptance-withdraw",
    ),
    path("adjustments/<int:pk>/delete/", views.AdjustmentDeleteView.as_view(), name="adjustment-delete"),
    path("evidence/<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence-delete"),
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    path("ranking/publish/", views.PublishMonthView.as_view(), name="publish-month"),
    path("annual/", views.AnnualView.as_view(), name="annual"),
    path("audit/", views.AuditListView.as_view(), name="audit-list"),
    path("exceptions/", views.ExceptionListView.as_view(), name="exception-list"),
    path("targets/", views.TargetListView.as_view(), name="targets"),
    path("rubric/", views.RubricView.as_view(), name="rubric"),
    path("years/", year_views.YearSetupView.as_view(), name="years"),
]
