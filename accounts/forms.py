from django import forms
from django.contrib.auth.forms import AuthenticationForm

from core.forms import BootstrapFormMixin


class LoginForm(BootstrapFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": (
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý mật khẩu phân biệt chữ hoa, chữ thường."
        ),
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs["autocapitalize"] = "none"


class EmptyForm(forms.Form):
    pass
