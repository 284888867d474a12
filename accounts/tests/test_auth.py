import pytest

from accounts.roles import Role


@pytest.mark.django_db
def test_login_errors_in_vietnamese_then_success_and_logout(client, make_user, tree):
    make_user(Role.OFFICER, tree.md)  # user1 / pw
    response = client.post("/dang-nhap/", {"username": "user1", "password": "sai"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post("/dang-nhap/", {"username": "user1", "password": "pw"})
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/").content.decode()
    assert "Liên đoàn Lao động huyện Mỹ Đức" in home and "Xin chào" in home
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_profile_lists_roles(client, make_user, tree):
    client.force_login(make_user(Role.LEADER, tree.md))
    page = client.get("/tai-khoan/").content.decode()
    assert "Lãnh đạo đơn vị" in page and "Liên đoàn Lao động huyện Mỹ Đức" in page


@pytest.mark.django_db
def test_home_empty_state_without_roles(client, make_user):
    client.force_login(make_user())
    page = client.get("/").content.decode()
    assert "chưa được phân quyền" in page


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client, make_user, tree):
    client.force_login(make_user(Role.OFFICER, tree.md))
    assert "Cây tổ chức công đoàn" in client.get("/don-vi/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/don-vi/"})
    page = client.get("/don-vi/").content.decode()
    assert 'lang="en"' in page and "Cây tổ chức công đoàn" not in page and "Audit log" in page
    client.post("/i18n/setlang/", {"language": "vi", "next": "/don-vi/"})
    assert "Cây tổ chức công đoàn" in client.get("/don-vi/").content.decode()


def test_responses_carry_a_strict_csp(client):
    response = client.get("/dang-nhap/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
