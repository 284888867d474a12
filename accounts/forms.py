from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from core.forms import BootstrapFormMixin, DateInput


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


# --- accounts and roles (role.manage) ----------------------------------------------------------------

GRANTABLE_HELP = "Chỉ giao vai trò trên các đơn vị trong phạm vi bạn được quản lý tài khoản."


def _role_choices(user):
    from .roles import Role

    return [(r.value, r.label) for r in Role if r != Role.ADMIN or user.is_superuser]


class _RoleFields(forms.Form):
    """The role, its unit (the unit picker of `accounts.pickers`), with or without the units below, and
    the start date — added for the managing `user` (BootstrapFormMixin, first in the bases, styles them)."""

    def __init__(self, *args, user, **kwargs):
        from .pickers import UNIT, picker_field

        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(
            label="Vai trò",
            choices=[("", "— Chọn vai trò —"), *_role_choices(user)],
            error_messages={"required": "Chọn vai trò.", "invalid_choice": "Chọn vai trò trong danh sách."},
        )
        self.fields["unit"] = picker_field(UNIT, user=user, label="Đơn vị")
        self.fields["unit"].help_text = GRANTABLE_HELP
        self.fields["unit"].error_messages["required"] = "Chọn đơn vị giao vai trò."
        self.fields["include_subtree"] = forms.BooleanField(
            label="Gồm cả các đơn vị trực thuộc", required=False, initial=True
        )
        self.fields["valid_from"] = forms.DateField(
            label="Từ ngày",
            widget=DateInput(),
            error_messages={"required": "Nhập ngày bắt đầu.", "invalid": "Ngày bắt đầu không hợp lệ."},
        )


class _UserFields(_RoleFields):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
        help_text="Chữ không dấu, chữ số và . @ + - _, ví dụ: canbo.myduc",
        error_messages={"required": "Nhập tên đăng nhập."},
    )
    full_name = forms.CharField(
        label="Họ và tên", max_length=150, error_messages={"required": "Nhập họ và tên người dùng."}
    )
    password1 = forms.CharField(
        label="Mật khẩu tạm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Người dùng phải đổi mật khẩu này ngay khi đăng nhập lần đầu.",
        error_messages={"required": "Nhập mật khẩu tạm."},
    )
    password2 = forms.CharField(
        label="Nhập lại mật khẩu tạm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Nhập lại mật khẩu tạm."},
    )

    def __init__(self, *args, user, **kwargs):
        from .pickers import PERSON, picker_field

        super().__init__(*args, user=user, **kwargs)
        self.fields["person"] = picker_field(
            PERSON, user=user, label="Hồ sơ đoàn viên (không bắt buộc)", required=False
        )
        self.fields[
            "person"
        ].help_text = "Gắn tài khoản với hồ sơ của một đoàn viên trong phạm vi của bạn chưa có tài khoản."
        self.order_fields(["username", "full_name", "person", "password1", "password2"])


class UserCreateForm(BootstrapFormMixin, _UserFields):
    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "Hai lần nhập mật khẩu tạm không khớp nhau.")
        return data


class RoleAssignForm(BootstrapFormMixin, _RoleFields):
    pass


class RoleEndForm(BootstrapFormMixin, forms.Form):
    valid_to = forms.DateField(
        label="Kết thúc từ ngày",
        widget=DateInput(),
        error_messages={"required": "Nhập ngày kết thúc.", "invalid": "Ngày kết thúc không hợp lệ."},
    )
