from django.urls import path

from . import admin_views, otp_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/password/", views.password_change_view, name="password_change"),
    path("accounts/otp/", otp_views.otp_verify, name="otp_verify"),
    path("accounts/otp/setup/", otp_views.otp_setup, name="otp_setup"),
    path("accounts/otp/qr.svg", otp_views.otp_qr, name="otp_qr"),
    path("accounts/tokens/", views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/users/", admin_views.user_list, name="user_list"),
    path("accounts/users/<int:pk>/active/", admin_views.user_set_active, name="user_set_active"),
    path("accounts/users/<int:pk>/reset-password/", admin_views.user_reset_password, name="user_reset_password"),
    path(
        "accounts/users/<int:pk>/reset-second-factor/",
        admin_views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path("accounts/users/<int:pk>/roles/", admin_views.user_roles, name="user_roles"),
    path("accounts/roles/", admin_views.role_list, name="role_list"),
    path("accounts/roles/<int:pk>/revoke/", admin_views.role_revoke, name="role_revoke"),
    path("accounts/sign-in-failures/", admin_views.sign_in_failures_page, name="sign_in_failures"),
    path("accounts/security-policy/", admin_views.security_policy, name="security_policy"),
    path("accounts/security/", otp_views.account_security, name="account_security"),
]
