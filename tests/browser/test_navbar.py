"""The navbar on the demo data: one line at 1440 px for the city and county users (ten menu groups, 待办, 通知, the
account menu and 退出登录), the account's pages behind the user's name, a skip link "跳到正文" as the first stop of
the keyboard, and a focus ring that shows on the dark navbar and on the page."""

import re

import pytest

from tests.browser.test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def rgb(css: str) -> tuple[float, ...]:
    return tuple(float(x) for x in re.findall(r"[\d.]+", css)[:3])


def contrast(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    def luminance(colour):
        channels = [c / 255 for c in colour]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_ring(page) -> dict:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor,"
        " text: document.activeElement.textContent.trim()}; }"
    )


def test_the_navbar_is_one_line_at_1440_for_the_city_and_county_users(browser, demo, output_dir):
    for username in ("city", "gaoping"):
        page = sign_in(browser, demo, username, "desktop")
        groups = page.locator(".app-navbar .navbar-nav > li")
        assert groups.count() >= 9, groups.count()  # the whole menu, not a shortened one
        tops = page.eval_on_selector_all(
            ".app-navbar .navbar-nav > li, .app-navbar .navbar-user > *",
            "items => items.map(i => Math.round(i.getBoundingClientRect().top + i.getBoundingClientRect().height / 2))",
        )
        assert max(tops) - min(tops) <= 4, f"{username}: the navbar's items are on several lines: {tops}"
        height = page.locator(".app-navbar").bounding_box()["height"]
        link_height = page.locator(".app-navbar .navbar-nav .nav-link").first.bounding_box()["height"]
        assert height < 2 * link_height, f"{username}: the navbar is {height}px high"
        page.screenshot(
            path=str(output_dir / f"navbar-{username}-1440.png"), clip={"x": 0, "y": 0, "width": 1440, "height": 120}
        )

        # the account's pages are one click away, behind the user's name (its full name in the title)
        assert page.get_by_role("button", name="退出登录").is_visible()
        assert not page.get_by_test_id("password-link").is_visible()
        page.get_by_test_id("account-menu").click()
        for testid in ("password-link", "tokens-link", "notification-settings-link"):
            assert page.get_by_test_id(testid).is_visible()
        page.screenshot(
            path=str(output_dir / f"account-menu-{username}-1440.png"),
            clip={"x": 900, "y": 0, "width": 540, "height": 260},
        )
        page.context.close()


def test_skip_link_and_focus_ring(browser, demo, output_dir):
    for viewport in ("desktop", "phone"):
        page = sign_in(browser, demo, "gaoping", viewport)
        page.goto(f"{demo}/projects/list/")
        page.keyboard.press("Tab")
        skip = page.get_by_test_id("skip-link")
        assert page.evaluate("document.activeElement.dataset.testid") == "skip-link"
        assert skip.inner_text() == "跳到正文"
        box = skip.bounding_box()
        assert box["y"] >= 0 and box["height"] > 0, box  # shown on focus, inside the screen
        ring = focus_ring(page)
        assert ring["style"] == "solid" and ring["width"] >= 2, ring
        page.screenshot(
            path=str(output_dir / f"skip-link-{viewport}.png"), clip={"x": 0, "y": 0, "width": 390, "height": 120}
        )
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "main"
        assert page.url.endswith("#main")
        page.keyboard.press("Tab")  # the first control of the page's content, not the navbar again
        assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
        page.context.close()

    # the ring on the dark navbar: a 3:1 contrast against the navbar's blue, and against the page on the page
    page = sign_in(browser, demo, "gaoping", "desktop")
    navbar = rgb(page.evaluate("getComputedStyle(document.querySelector('.app-navbar')).backgroundColor"))
    page.keyboard.press("Tab")  # 跳到正文
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")  # 驾驶舱
    ring = focus_ring(page)
    assert ring["text"] == "驾驶舱", ring
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    assert contrast(rgb(ring["colour"]), navbar) >= 3, ring
    page.screenshot(path=str(output_dir / "focus-navbar-1440.png"), clip={"x": 0, "y": 0, "width": 720, "height": 80})
    page_bg = rgb(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    page.locator("main a[href]").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # a keyboard move: :focus-visible applies
    ring = focus_ring(page)
    assert ring["style"] == "solid" and ring["width"] >= 2 and contrast(rgb(ring["colour"]), page_bg) >= 3, ring
    page.screenshot(path=str(output_dir / "focus-page-1440.png"))
    page.context.close()
