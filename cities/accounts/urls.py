"""/accounts/: Django's auth views under their usual names (login, logout, password_change,
password_reset, …), sign-up, the account profile and invitation links. The templates have
their own names: the admin app ships "registration/password_*" templates that would win."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import OutboxPasswordResetForm

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            http_method_names=["get", "post"],
            template_name="cities/accounts/password_change_form.html",
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            http_method_names=["get"], template_name="cities/accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            http_method_names=["get", "post"],
            template_name="cities/accounts/password_reset_form.html",
            form_class=OutboxPasswordResetForm,
        ),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetDoneView.as_view(
            http_method_names=["get"], template_name="cities/accounts/password_reset_done.html"
        ),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            http_method_names=["get", "post"],
            template_name="cities/accounts/password_reset_confirm.html",
        ),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            http_method_names=["get"], template_name="cities/accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
