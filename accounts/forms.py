from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

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


class OwnPasswordChangeForm(BootstrapFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu hiện tại không đúng. Hãy nhập lại.",
        "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.fields[
            "new_password1"
        ].help_text = "Ít nhất 8 ký tự, không toàn chữ số, không quá giống tên đăng nhập hoặc họ tên."


class TemporaryPasswordForm(BootstrapFormMixin, forms.Form):
    password1 = forms.CharField(
        label="Mật khẩu tạm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Người dùng phải đổi mật khẩu này ngay khi đăng nhập lần tới.",
    )
    password2 = forms.CharField(
        label="Nhập lại mật khẩu tạm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "Hai lần nhập mật khẩu tạm không khớp nhau.")
        return data


class OTPCodeForm(BootstrapFormMixin, forms.Form):
    token = forms.CharField(
        label="Mã xác thực",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        error_messages={"required": "Hãy nhập mã gồm 6 chữ số trong ứng dụng xác thực."},
    )

    def clean_token(self):
        return "".join(self.cleaned_data["token"].split())
