"""Issue 12, finding 10: the near-duplicate endpoint (`initiatives:similar`) lists only initiatives the
user may see — a title of another branch is not read out while one types."""

from django.urls import reverse

from accounts.roles import Role
from initiatives import services
from initiatives.selectors import initiative_similar

from .conftest import UBND_TEXT


def test_similar_endpoint_hides_another_branch_with_the_same_title(
    client, tree, make_user, make_initiative, officer
):
    hbt_officer = make_user(Role.OFFICER, tree.hbt)
    # Minh Khai (Hai Bà Trưng) is in the same federation (Hà Nội) but a sibling branch of Mỹ Đức
    other = make_initiative(
        "Số hóa hồ sơ lưu trữ của phường Minh Khai",
        "Quét và đánh chỉ mục toàn bộ hồ sơ lưu trữ giấy của phường.",
        unit=tree.mk,
        authors=[(tree.minh_khai, 100)],
        user=hbt_officer,
    )
    services.initiative_submit(acting_user=hbt_officer, initiative=other)
    own = make_initiative(submit=True)  # Mỹ Đức's own, visible to the officer

    client.force_login(officer)
    response = client.post(reverse("initiatives:similar"), {"title": other.title, "unit": tree.ubnd.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert other.title not in html
    response = client.post(reverse("initiatives:similar"), {"title": other.title})  # no unit chosen yet
    assert other.title not in response.content.decode()
    # the officer's own branch is still searched; the other branch's officer finds their own title
    response = client.post(reverse("initiatives:similar"), {"title": UBND_TEXT[0], "unit": tree.ubnd.pk})
    assert own.title in response.content.decode()
    found = initiative_similar(user=hbt_officer, title=other.title, unit=tree.mk)
    assert [s["id"] for s in found] == [other.pk]
    # and a superuser (global view) sees both branches
    admin = make_user(is_superuser=True)
    assert other.pk in {s["id"] for s in initiative_similar(user=admin, title=other.title, unit=tree.ubnd)}
