"""Issue 26 on a phone (390×844) and a desktop (1440×900), on the demo data:

* the county's period forms (月度考评报送's 年度/月份 to start a month, the ranking's and annual scores' selector)
  show the whole year: the year box is wider than the year's text beside the number arrows;
* page headers with an h1 and several action buttons (static/css/app.css "page-header"): on a phone the title has
  its own line and the buttons one row under it, none overlapping the title, each label on one line; no page
  scrolls sideways."""

import pytest

from tests.browser.test_journeys import VIEWPORTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url}: the page is {scroll}px wide on a {width}px screen"


# the year's text width (canvas, in the box's font) against the box's content width less the number arrows
YEAR_FITS = """el => {
  const s = getComputedStyle(el);
  const ctx = document.createElement('canvas').getContext('2d');
  ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
  const text = ctx.measureText(el.value).width;
  const inner = el.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight) - 16;
  return {text, inner, overflow: el.scrollWidth > el.clientWidth};
}"""


def check_year_box(page, box):
    assert box.is_visible(), page.url
    assert len(box.input_value()) == 4, box.input_value()
    fit = box.evaluate(YEAR_FITS)
    assert not fit["overflow"] and fit["inner"] >= fit["text"], f"{page.url}: the year box is too narrow {fit}"


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"] + 0.5
        or b["x"] + b["width"] <= a["x"] + 0.5
        or a["y"] + a["height"] <= b["y"] + 0.5
        or b["y"] + b["height"] <= a["y"] + 0.5
    )


def check_header(page, viewport):
    width = VIEWPORTS[viewport][0]
    header = page.locator("main .page-header").first
    assert header.count(), f"{page.url}: no page-header"
    title = header.locator("h1")
    t = title.bounding_box()
    buttons = header.locator(".page-actions .btn")
    visible = [buttons.nth(i) for i in range(buttons.count()) if buttons.nth(i).is_visible()]
    assert visible, f"{page.url}: no header button"
    rows = set()
    for button in visible:
        b = button.bounding_box()
        assert not overlaps(t, b), f"{page.url}: {button.inner_text()} {b} overlaps the title {t}"
        assert b["x"] >= 0 and b["x"] + b["width"] <= width, f"{page.url}: {button.inner_text()} {b} off the screen"
        assert b["height"] < 40, f"{page.url}: {button.inner_text()} broken over lines {b}"
        if viewport == "phone":
            assert b["y"] >= t["y"] + t["height"] - 0.5, f"{page.url}: {button.inner_text()} beside the title"
        rows.add(round(b["y"]))
    if viewport == "phone":
        assert len(rows) == 1, f"{page.url}: the buttons take {len(rows)} rows"  # three fit in one row at 390 px
    no_sideways_scroll(page, width)


def test_the_year_box_shows_the_whole_year(browser, demo, output_dir):
    for viewport in VIEWPORTS:
        page = sign_in(browser, demo, "gaoping", viewport)
        for url, box in (
            ("/assessment/", "#start_year"),
            ("/assessment/ranking/", "#f-year"),
            ("/assessment/annual/", "#f-year"),
        ):
            page.goto(demo + url)
            page.wait_for_load_state("networkidle")
            page.screenshot(path=str(output_dir / f"year-box{url.replace('/', '-')}{viewport}.png"))
            check_year_box(page, page.locator(box))
            no_sideways_scroll(page, VIEWPORTS[viewport][0])
        page.context.close()


def test_page_headers_put_the_buttons_under_the_title_on_a_phone(browser, demo, output_dir):
    from assessment.models import Submission
    from complaints.models import Complaint
    from projects.models import Project

    project = Project.objects.order_by("pk").first()
    submission = Submission.objects.filter(county__name="高平市", status="draft").order_by("-year", "-month").first()
    complaint = Complaint.objects.exclude(accepted_at=None).order_by("pk").first()
    pages = {
        "unit_taihang": ["/projects/mine/", "/projects/reports/"],
        "gaoping": [
            "/projects/list/",
            f"/assessment/submissions/{submission.pk}/edit/",
            "/complaints/",
            "/evaluation/",
            "/accounts/users/",
        ],
        "city": [f"/projects/{project.pk}/", f"/complaints/{complaint.pk}/", "/accounts/enterprises/"],
    }
    for viewport in VIEWPORTS:
        for username, urls in pages.items():
            page = sign_in(browser, demo, username, viewport)
            for url in urls:
                page.goto(demo + url)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(output_dir / f"header-{username}{url.replace('/', '-')}{viewport}.png"))
                check_header(page, viewport)
            page.context.close()
