from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.NotificationListView.as_view(), name="list"),
    path("todos/", views.TodoListView.as_view(), name="todos"),
    path("settings/", views.PreferencesView.as_view(), name="preferences"),
]
