from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .forms import LoginForm
from .selectors import active_assignments


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def profile(request):
    assignments = (
        active_assignments(user=request.user).select_related("unit__unit_type").order_by("unit__path")
    )
    return render(request, "accounts/profile.html", {"assignments": assignments})
