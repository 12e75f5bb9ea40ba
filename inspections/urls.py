from django.urls import path

from inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.PlanListView.as_view(), name="plan-list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan-create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/lock/", views.PlanLockView.as_view(), name="plan-lock"),
    path("plans/<int:pk>/cancel/", views.PlanCancelView.as_view(), name="plan-cancel"),
    path("plans/<int:pk>/draw/", views.PlanDrawView.as_view(), name="plan-draw"),
    path("plans/<int:pk>/draw/confirm/", views.PlanDrawConfirmView.as_view(), name="plan-draw-confirm"),
    path("plans/<int:pk>/audit/", views.PlanAuditView.as_view(), name="plan-audit"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection-detail"),
    path("inspections/<int:pk>/record/", views.RecordView.as_view(), name="inspection-record"),
    path("inspections/<int:pk>/findings/", views.FindingCreateView.as_view(), name="finding-create"),
    path("inspections/<int:pk>/confirm/", views.ConfirmView.as_view(), name="inspection-confirm"),
    path("notices/", views.NoticeListView.as_view(), name="notice-list"),
    path("notices/<int:pk>/", views.NoticeDetailView.as_view(), name="notice-detail"),
    path("notices/<int:pk>/notice.pdf", views.NoticePdfView.as_view(), name="notice-pdf"),
    path("notices/<int:pk>/answer/", views.NoticeActionView.as_view(action="answer"), name="notice-answer"),
    path("notices/<int:pk>/paper-answer/", views.NoticeActionView.as_view(action="paper"), name="notice-paper-answer"),
    path("notices/<int:pk>/close/", views.NoticeActionView.as_view(action="close"), name="notice-close"),
    path("notices/<int:pk>/return/", views.NoticeActionView.as_view(action="return"), name="notice-return"),
    path("notices/<int:pk>/escalate/", views.NoticeActionView.as_view(action="escalate"), name="notice-escalate"),
    path("notices/<int:pk>/penalty/", views.NoticeActionView.as_view(action="penalty"), name="notice-penalty"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("a1/<int:county>/<int:year>/<int:month>/", views.A1FactView.as_view(), name="a1-fact"),
    path("public/", views.PublicResultsView.as_view(), name="public"),
    path("public/checklists/", views.PublicChecklistView.as_view(), name="public-checklists"),
    path("public/plans/<int:pk>/", views.PublicPlanAuditView.as_view(), name="public-plan"),
    path("public/plans/<int:pk>/record.json", views.PublicPlanRecordView.as_view(), name="public-plan-record"),
    path("public/plans/<int:pk>/audit.json", views.PublicPlanBundleView.as_view(), name="public-plan-bundle"),
]
