"""End to end in a browser: a finance user opens the Prefect UI (headless Chromium), finds the
invoice waiting for review, fills in the form and submits it; the invoice is posted once."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.serve_helpers import REVIEWERS, Service, service, wait_for

pytestmark = pytest.mark.postgres

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
INVOICE = "011-acme-inv-10244.pdf"


@pytest.fixture(scope="module")
def apx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    with service(tmp_path_factory.mktemp("serve-ui")) as svc:
        yield svc


@pytest.fixture
def browser() -> Iterator[Any]:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for argument in ("--headless", "--no-sandbox", "--disable-gpu",
                     "--disable-background-networking", "--window-size=1400,2000"):
        options.add_argument(argument)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(options=options,
                              service=webdriver.ChromeService(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(90)
    try:
        yield driver
    finally:
        driver.quit()


def field(driver: Any, title: str) -> Any:
    """The input of the form field whose label is `title` (V1 UI schema form)."""
    from selenium.webdriver.common.by import By

    for block in driver.find_elements(By.CSS_SELECTOR, ".p-label"):
        labels = block.find_elements(By.CSS_SELECTOR, ".schema-form-property__label")
        if labels and labels[0].text.strip().removesuffix("(Optional)").strip() == title:
            return block.find_element(By.CSS_SELECTOR, "select, textarea, input")
    raise AssertionError(f"no form field '{title}'")


def test_a_reviewer_decides_in_the_prefect_ui_and_the_invoice_is_posted_once(
    apx: Service, browser: Any,
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    apx.drop(INVOICE)
    invoice_id = wait_for(lambda: next((row.id for row in apx.store.invoices()
                                        if row.file_name == INVOICE), None), 120,
                          "the invoice to be taken in")
    run = apx.review_run(invoice_id)
    wait = WebDriverWait(browser, 90)

    # The reviewer finds the waiting invoice in the run list by what it is.
    browser.get(f"{apx.ui_url}/runs")
    link = wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//a[contains(normalize-space(), 'INV-10244 · 2,332.56 GBP')]")))
    link.click()
    wait.until(ec.url_contains(str(run.id)))
    wait.until(ec.element_to_be_clickable(
        (By.XPATH, "//button[normalize-space()='Resume']"))).click()
    wait.until(ec.visibility_of_element_located(
        (By.XPATH, "//h3[contains(., 'Lines: invoice beside PO and receipts')]")))
    Select(field(browser, "Decision")).select_by_visible_text("approve")
    field(browser, "Your name").send_keys("clara")
    field(browser, "Your personal code").send_keys(REVIEWERS["clara"][1])
    field(browser, "Reason").send_keys("Price increase agreed with Acme on 2026-11-02")
    if os.environ.get("APX_REVIEW_SCREENSHOT"):  # docs/review-form.png is made this way
        browser.save_screenshot(os.environ["APX_REVIEW_SCREENSHOT"])
    browser.find_element(By.XPATH, "//button[normalize-space()='Submit']").click()
    wait.until(ec.visibility_of_element_located(
        (By.XPATH, "//*[contains(text(), 'Flow run resumed')]")))

    case = apx.decided(invoice_id, 1)
    assert case.status == "approved" and case.decided_by == "clara"
    assert [v.invoice_id for v in apx.store.vouchers()] == [invoice_id]
    assert apx.flow_run(run.id).state.is_completed()
    decision = [e for e in apx.store.audit_events(invoice_id) if e.step == "review.decision"]
    assert len(decision) == 1 and decision[0].actor == "reviewer:clara"
    assert "agreed with Acme" in decision[0].detail["reason"]
    assert Path(apx.log).exists()
