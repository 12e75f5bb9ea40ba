from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("enterprises/new/", views.EnterpriseCreateView.as_view(), name="enterprise-create"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseUpdateView.as_view(), name="enterprise-update"),
    path("enterprises/merge/", views.EnterpriseMergeView.as_view(), name="enterprise-merge"),
    path("users/", views.UserListView.as_view(), name="user-list"),
    path("users/new/", views.UserCreateView.as_view(), name="user-create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user-update"),
    path("users/<int:pk>/deactivate/", views.UserDeactivateView.as_view(), name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.UserReactivateView.as_view(), name="user-reactivate"),
    path("users/<int:pk>/password-link/", views.UserPasswordLinkView.as_view(), name="user-password-link"),
    path("users/<int:pk>/link/", views.UserLinkHandoverView.as_view(), name="user-link"),
    path("set-password/<str:key>/", views.SetPasswordView.as_view(), name="set-password"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("tokens/", views.TokenListView.as_view(), name="tokens"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("security-log/", views.SecurityEventListView.as_view(), name="security-log"),
    path("register/", views.RegistrationView.as_view(), name="register"),
    path("register/receipt/", views.registration_receipt, name="register-receipt"),
    path("register/status/", views.RegistrationStatusView.as_view(), name="register-status"),
    path("registrations/", views.RegistrationListView.as_view(), name="registration-list"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration-detail"),
    path("registrations/<int:pk>/licence/", views.RegistrationLicenceView.as_view(), name="registration-licence"),
    path(
        "registrations/<int:pk>/<str:decision>/",
        views.RegistrationDecideView.as_view(),
        name="registration-decide",
    ),
]
