from django import forms

from core.forms import BootstrapFormMixin, DateInput
from organizations.forms import UnitChoiceField
from organizations.models import OrgUnit

from .choices import Gender, UnionRole, WorkMode


class PersonForm(BootstrapFormMixin, forms.Form):
    family_name = forms.CharField(label="Họ", max_length=50, required=False)
    middle_name = forms.CharField(label="Tên đệm", max_length=80, required=False)
    given_name = forms.CharField(label="Tên", max_length=50)
    gender = forms.ChoiceField(label="Giới tính", choices=[("", "— Chọn —"), *Gender.choices])
    birth_date = forms.DateField(label="Ngày sinh", required=False, widget=DateInput())
    citizen_id = forms.CharField(
        label="Số CCCD",
        max_length=12,
        required=False,
        help_text="12 chữ số. Các màn hình khác chỉ hiện 4 số cuối; mỗi lần mở số đầy đủ đều được ghi nhật ký.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    phone = forms.CharField(label="Điện thoại", max_length=20, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    union_joined_on = forms.DateField(label="Ngày vào công đoàn", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_name"].error_messages["required"] = "Tên không được để trống."
        self.fields["gender"].error_messages["required"] = "Chọn giới tính."
        self.fields["birth_date"].error_messages["invalid"] = "Ngày sinh không hợp lệ (dd/mm/yyyy)."
        self.fields["email"].error_messages["invalid"] = "Địa chỉ thư điện tử không hợp lệ."


class MembershipForm(BootstrapFormMixin, forms.Form):
    unit = UnitChoiceField(
        label="Nơi sinh hoạt (CĐCS, CĐ bộ phận hoặc tổ công đoàn)", queryset=OrgUnit.objects.none()
    )
    union_role = forms.ChoiceField(
        label="Chức vụ công đoàn", choices=UnionRole.choices, initial=UnionRole.DOAN_VIEN
    )
    job_title = forms.CharField(label="Chức vụ chuyên môn", max_length=150, required=False)
    work_mode = forms.ChoiceField(
        label="Làm công tác công đoàn", choices=WorkMode.choices, initial=WorkMode.NONE
    )
    card_number = forms.CharField(label="Số thẻ đoàn viên", max_length=30, required=False)
    started_on = forms.DateField(label="Sinh hoạt từ ngày", widget=DateInput())

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["started_on"].error_messages["required"] = "Nhập ngày bắt đầu sinh hoạt."
        self.fields["unit"].error_messages["required"] = "Chọn nơi sinh hoạt."
        self.fields["unit"].error_messages["invalid_choice"] = (
            "Nơi sinh hoạt không hợp lệ hoặc không thuộc phạm vi bạn được quản lý."
        )


class MembershipEditForm(BootstrapFormMixin, forms.Form):
    union_role = forms.ChoiceField(label="Chức vụ công đoàn", choices=UnionRole.choices)
    job_title = forms.CharField(label="Chức vụ chuyên môn", max_length=150, required=False)
    work_mode = forms.ChoiceField(label="Làm công tác công đoàn", choices=WorkMode.choices)
    card_number = forms.CharField(label="Số thẻ đoàn viên", max_length=30, required=False)


class PersonFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên hoặc số thẻ", required=False)
    gioi_tinh = forms.ChoiceField(
        label="Giới tính", choices=[("", "Tất cả"), *Gender.choices], required=False
    )
    chuc_vu = forms.ChoiceField(
        label="Chức vụ công đoàn", choices=[("", "Tất cả"), *UnionRole.choices], required=False
    )
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        choices=[("current", "Đang sinh hoạt"), ("left", "Đã chuyển đi / thôi sinh hoạt"), ("all", "Tất cả")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = css


class MembershipTransferForm(BootstrapFormMixin, forms.Form):
    to_unit = UnitChoiceField(label="Chuyển đến (nơi sinh hoạt mới)", queryset=OrgUnit.objects.none())
    on = forms.DateField(label="Từ ngày", widget=DateInput())
    reason = forms.CharField(label="Lý do / căn cứ", max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units
        self.fields["to_unit"].error_messages["invalid_choice"] = (
            "Nơi sinh hoạt không hợp lệ hoặc không thuộc phạm vi bạn được quản lý."
        )


class MembershipEndForm(BootstrapFormMixin, forms.Form):
    ended_on = forms.DateField(label="Ngày thôi sinh hoạt", widget=DateInput())
    end_reason = forms.CharField(
        label="Lý do", max_length=255, help_text="Ví dụ: nghỉ hưu, chuyển công tác ngoài hệ thống, thôi việc."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_reason"].error_messages["required"] = "Nhập lý do kết thúc sinh hoạt."
