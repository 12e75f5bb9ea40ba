from django.urls import path

from disclosure import views

app_name = "disclosure"
urlpatterns = [
    # public, no login
    path("", views.PublicSearchView.as_view(), name="public-search"),
    path("p/<slug:public_id>/", views.PublicProjectView.as_view(), name="public-project"),
    # staff
    path("manage/", views.ManageListView.as_view(), name="manage-list"),
    path("manage/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
    path("manage/<int:pk>/sign.pdf", views.SignPdfView.as_view(), name="sign-pdf"),
]
