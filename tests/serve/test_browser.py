"""The app in headless Chromium (tests/serve/browser.py): answer, see the level move, save,
reload; read-only control answers; a stale edit refused; keyboard and labels; no console
error."""

from __future__ import annotations

import pytest
import yaml

from gatekeeper.serve.app import create_app
from gatekeeper.serve.run import serving_in_thread
from serve.browser import chromium, console_errors, require_browser
from serve.conftest import settings_for

WAIT = 20


@pytest.fixture
def browser(project):
    require_browser()
    with serving_in_thread(create_app(settings_for(project))) as url, chromium() as driver:
        yield driver, url


def _wait(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT).until(condition)


def _level(driver, domain: str) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"level-{domain}").text


def test_answer_see_the_level_move_save_and_reload(browser, project):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver, url = browser
    path = project / "attestations.yaml"
    driver.get(f"{url}/questionnaire")
    assert _level(driver, "INF") == "2"
    Select(driver.find_element(By.ID, "f-INF-Q5-score")).select_by_value("3")
    _wait(driver, lambda d: _level(d, "INF") == "3")  # the live score, from the server
    assert driver.find_element(By.ID, "dlevel-INF").text == "3"
    assert driver.find_element(By.ID, "score-INF-Q5").text == "3"
    who = driver.find_element(By.ID, "f-INF-Q5-attested_by")
    who.clear()
    who.send_keys("Ana Silva (SRE)")
    driver.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()
    _wait(driver, lambda d: "saved=" in d.current_url)
    assert "Saved 1 answer(s)" in driver.find_element(By.CSS_SELECTOR, "p.note").text
    driver.refresh()
    assert Select(driver.find_element(By.ID, "f-INF-Q5-score")).first_selected_option \
        .get_attribute("value") == "3"
    assert driver.find_element(By.ID, "f-INF-Q5-attested_by").get_attribute("value") \
        == "Ana Silva (SRE)"
    assert _level(driver, "INF") == "3"
    text = path.read_text()
    assert "# keep this comment" in text and text.startswith("# Answers to maturity questions")
    saved = yaml.safe_load(text)["attestations"]["INF-Q5"]
    assert (saved["score"], saved["attested_by"]) == (3, "Ana Silva (SRE)")
    assert console_errors(driver) == []


def test_a_bad_answer_is_marked_live_and_not_saved(browser, project):
    from selenium.webdriver.common.by import By

    driver, url = browser
    before = (project / "attestations.yaml").read_bytes()
    driver.get(f"{url}/questionnaire")
    expires = driver.find_element(By.ID, "f-INF-Q5-expires")
    driver.execute_script("arguments[0].value = '2020-01-01'", expires)
    driver.execute_script(
        "arguments[0].dispatchEvent(new Event('change', {bubbles: true}))", expires)
    _wait(driver, lambda d: "before its date" in d.find_element(
        By.ID, "err-f-INF-Q5-expires").text)
    assert expires.get_attribute("aria-invalid") == "true"
    driver.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()
    _wait(driver, lambda d: "Nothing was saved" in d.page_source)
    assert "before its date" in driver.find_element(By.ID, "err-f-INF-Q5-expires").text
    assert (project / "attestations.yaml").read_bytes() == before
    # the refused page's own 422 status is the one line Chromium logs
    errors = console_errors(driver)
    assert [e for e in errors if "status of 422" not in e] == [] and len(errors) == 1


def test_a_control_answer_cannot_be_edited(browser):
    from selenium.webdriver.common.by import By

    driver, url = browser
    driver.get(f"{url}/questionnaire")
    article = driver.find_element(By.ID, "GRC-Q1")
    assert article.find_elements(By.CSS_SELECTOR, "input, select, textarea") == []
    assert "answered by controls" in article.text
    attested = driver.find_element(By.ID, "MON-Q3")
    assert len(attested.find_elements(By.CSS_SELECTOR, "input, select")) == 6


def test_a_stale_edit_is_refused(browser, project):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver, url = browser
    path = project / "attestations.yaml"
    driver.get(f"{url}/questionnaire")
    edited = path.read_text().replace("# keep this comment", "# edited meanwhile")
    path.write_text(edited)
    Select(driver.find_element(By.ID, "f-INF-Q5-score")).select_by_value("4")
    driver.find_element(By.CSS_SELECTOR, 'button[value="save"]').click()
    _wait(driver, lambda d: "Not saved" in d.find_element(By.TAG_NAME, "h1").text)
    assert "# edited meanwhile" in driver.find_element(By.CSS_SELECTOR, "pre.file").text
    assert path.read_text() == edited


def test_keyboard_reaches_every_field_and_every_field_has_a_label(browser, attested):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver, url = browser
    driver.get(f"{url}/questionnaire")
    fields = driver.find_elements(By.CSS_SELECTOR, "form input:not([type=hidden]), form select")
    assert len(fields) == len(attested) * 6
    for field in fields:
        labels = driver.find_elements(By.CSS_SELECTOR, f'label[for="{field.get_attribute("id")}"]')
        assert len(labels) == 1 and labels[0].text.strip(), field.get_attribute("id")
    wanted = {f.get_attribute("id") for f in fields} | {"save"}
    focusable = driver.execute_script(
        "return document.querySelectorAll('a[href], button, input:not([type=hidden]), select, "
        "summary').length")
    reached: set[str] = set()
    body = driver.find_element(By.TAG_NAME, "body")
    body.click()
    for _ in range(focusable * 4):  # a date input is three stops (day, month, year)
        driver.switch_to.active_element.send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        reached.add(active.get_attribute("id") or active.get_attribute("value") or "")
        if wanted <= reached:
            break
    assert wanted - reached == set()
    assert console_errors(driver) == []


@pytest.mark.parametrize("route", ["/", "/organization"])
def test_the_other_pages_load_without_console_errors(browser, route):
    from selenium.webdriver.common.by import By

    driver, url = browser
    driver.get(url + route)
    assert driver.find_element(By.TAG_NAME, "h1").text
    assert console_errors(driver) == []
