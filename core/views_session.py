"""`/kiem-tra-dang-nhap/`: a signed-in page with nothing behind it — the middleware, the session and the
user, no query of the apps. It is the floor of the HTTP load benchmark ("auth-hello",
bench/http_load.py) and lets monitoring check that signing in works end to end."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse


@login_required
def session_check(request):
    return HttpResponse(
        f"Đã đăng nhập: {request.user.get_username()}\n", content_type="text/plain; charset=utf-8"
    )
