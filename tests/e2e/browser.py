"""Helpers for browser tests: pages that collect their errors, the sign-up and log-in forms
filled in as a person would, the widths pages are checked at."""

from __future__ import annotations

from playwright.sync_api import Browser, BrowserContext, Page

from tests.support import PASSWORD

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


def a_context(browser: Browser, **options: object) -> BrowserContext:
    """A new browser context without the service worker: each context would install it and
    keep the whole app shell, seconds of every test that is not about it. The app as
    installed, offline and notified is tested in profiles of its own
    (test_app_in_a_browser, test_notifications_in_a_browser); every page works without it."""
    return browser.new_context(service_workers="block", **options)


def watched_page(browser: Browser, base_url: str, errors: list[str], viewport=PHONE) -> Page:
    """A new page whose console errors and uncaught exceptions are appended to `errors`."""
    page = a_context(browser, base_url=base_url, viewport=viewport).new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def every_image_loaded(page: Page) -> None:
    """Lazy images too, so a full-page screenshot shows what a reader scrolls to."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")


def no_sideways_scroll(page: Page) -> None:
    """Fail when the page is wider than the window."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def viewer_opened(page: Page) -> None:
    """Wait until the photo viewer has finished opening: its backdrop opaque and no CSS
    transition left in it. PhotoSwipe ignores a close while it is still opening, and the
    backdrop can be opaque a frame before the photo's zoom ends on a busy machine."""
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.pswp__bg')).opacity === '1'"
        " && !document.querySelector('.pswp').getAnimations({ subtree: true })"
        ".some((a) => a instanceof CSSTransition)"
    )


def browser_sign_up(page: Page, name: str, email: str) -> None:
    """Fill in and send the sign-up form on the page that shows it; wait for the next page."""
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create my account").click()


def browser_log_in(page: Page, email: str) -> None:
    """Log in from the log-in page, as a person would, and wait for the page it leads to."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    # Until the answer has arrived the session cookie may not be set, and closing a page whose
    # form post is still in flight hung Chromium (page.close() never returned, once in ~4 runs).
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
