from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("tai-khoan/", views.profile, name="profile"),
    path("tai-khoan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tai-khoan/xac-thuc-hai-buoc/", views.otp_setup, name="otp_setup"),
    path("tai-khoan/ma-xac-thuc/", views.otp_verify, name="otp_verify"),
    path("tai-khoan/ma-du-phong/", views.otp_recovery, name="otp_recovery"),
    path("tai-khoan/nguoi-dung/", views.user_list, name="users"),
    path("tai-khoan/nguoi-dung/them/", views.user_create, name="user_create"),
    path("tai-khoan/nguoi-dung/<dbid:pk>/vai-tro/", views.user_roles, name="user_roles"),
    path("tai-khoan/vai-tro/<dbid:pk>/ket-thuc/", views.role_end, name="role_end"),
    path(
        "tai-khoan/nguoi-dung/<dbid:pk>/dat-mat-khau/", views.user_reset_password, name="user_reset_password"
    ),
    path("tai-khoan/nguoi-dung/<dbid:pk>/mo-khoa/", views.user_unlock, name="user_unlock"),
]
