"""Clusters in the browser: the Mỹ Đức officer opens the district's emulation clusters for 2024, opens a
cluster and reads its members, the signed covenant (with the document to download) and the year-end
ranking with the leader proposed for the flag."""

import random

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from clusters.demo import build_demo

from .test_foundation import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_opens_clusters_covenant_and_ranking(page, live_server, shot, console_errors):
    call_command("load_demo", verbosity=0)
    build_demo(rng=random.Random(2024), year=2024)

    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "canbo.myduc")
    page.get_by_role("link", name="Cụm thi đua", exact=True).click()
    expect(page.get_by_role("heading", name="Cụm, khối thi đua năm 2024")).to_be_visible()
    page.get_by_role("link", name="Liên đoàn Lao động huyện Mỹ Đức").click()

    expect(page.get_by_role("heading", name="Cụm, khối thi đua năm 2024")).to_be_visible()
    first = page.get_by_role("link", name="Cụm thi đua số 1 — khối cơ quan hành chính, sự nghiệp")
    expect(first).to_be_visible()
    expect(
        page.get_by_role("link", name="Cụm thi đua số 2 — khối giáo dục, y tế, doanh nghiệp")
    ).to_be_visible()
    shot(page, "20-clusters", width=1280)
    shot(page, "20-clusters", width=375)

    page.set_viewport_size({"width": 1280, "height": 900})
    first.click()
    expect(
        page.get_by_role("heading", name="Cụm thi đua số 1 — khối cơ quan hành chính, sự nghiệp")
    ).to_be_visible()
    covenant = page.get_by_role("region", name="Giao ước thi đua")
    expect(covenant).to_contain_text("Lao động giỏi, Lao động sáng tạo")
    expect(covenant).to_contain_text("Ký ngày 26/02/2024")
    ranking = page.get_by_role("region", name="Kết quả xếp hạng cuối năm 2024")
    expect(ranking.get_by_role("row").nth(1)).to_contain_text("Công đoàn Ủy ban nhân dân huyện Mỹ Đức")
    expect(ranking.get_by_text("Đề nghị tặng Cờ thi đua")).to_be_visible()
    with page.expect_download() as download:
        covenant.get_by_role("link", name="Tải văn bản giao ước").click()
    assert download.value.suggested_filename.endswith(".pdf")
    shot(page, "21-cluster", width=1280)
    shot(page, "21-cluster", width=375)

    # the ranking form, on a phone
    page.set_viewport_size({"width": 375, "height": 900})
    page.get_by_role("link", name="Xếp hạng cuối năm").click()
    expect(page.get_by_role("heading", name="Xếp hạng cuối năm — Cụm thi đua số 1")).to_be_visible()
    shot(page, "22-cluster-rank", width=375)
    page.get_by_role("link", name="Hủy").click()

    # members and roles, on a phone: one select per unit
    page.get_by_role("link", name="Sửa cụm, thành viên").click()
    expect(page.get_by_label("Công đoàn xã Hương Sơn", exact=True)).to_have_value("DEPUTY")
    shot(page, "23-cluster-edit", width=375)
    assert console_errors == []
