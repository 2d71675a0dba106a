"""Issue 11, "Done means": the newcomer's hour, end to end in Chromium on the seeded demo.

The zorgcoördinator imports the school's file twice (the second time nothing is new), records
consent for sharing at the table and hands the young person over to the RMC; the coordinator
accepts and assigns a coach; the young person gives consent for contact on their own phone and
later withdraws it through the same personal link; the coach's caseload changes at once."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from coaching.management.commands.seed_demo import DEMO_PASSWORD
from consent.models import ConsentText, CurrentConsent, Purpose, Status
from students.models import Handover, Student
from tests.browser.conftest import assert_accessible, browser_login
from tests.main_pages import demo_world

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "Studentnummer;Voornaam;Tussenvoegsel;Achternaam;Geb.datum;Mobiel;Postcode;Gemeente;Crebo;Niveau;Klas"
ROWS = [
    "880001;Ilse;;Kramer;14-05-2007;06-23456781;8011 AB;Zwolle;25453;2;L2B",
    "880002;Mehmet;van der;Berg;02-11-2006;06-23456782;8012 CD;Zwolle;25453;Entree;L2B",
]


def school_file() -> bytes:
    # As Dutch Excel saves it: semicolons, Windows-1252, CRLF.
    return ("\r\n".join([HEADER, *ROWS]) + "\r\n").encode("cp1252")


def upload(page) -> None:
    page.goto(page.base_url + "/jongeren/importeren/")
    page.get_by_label("Bestand").set_input_files(
        {"name": "examenlijst-2026.csv", "mimeType": "text/csv", "buffer": school_file()}
    )
    page.get_by_role("button", name="Bestand uploaden").click()
    expect(page.get_by_role("heading", name="Kolommen koppelen")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    expect(page.get_by_role("heading", name="Voorbeeld van de import")).to_be_visible()


def switch_to(page, email: str) -> None:
    page.context.clear_cookies()
    browser_login(page, email, DEMO_PASSWORD)


def title(student: Student, purpose: str) -> str:
    return ConsentText.objects.filter(region=student.region, purpose=purpose).order_by("-version").first().title_nl


def test_the_newcomers_hour(page, phone_page, settings, celery_worker_process):
    demo_world(settings, students=20)
    cache.clear()  # the live server sees every client as 127.0.0.1

    # 1. The school's file, twice: the second time nothing is new.
    switch_to(page, "zorg@kwint.demo")
    upload(page)
    expect(page.get_by_text("Nieuw: 2")).to_be_visible()
    page.get_by_role("button", name=re.compile("^Bevestigen: 2 nieuw")).click()
    expect(page.get_by_role("heading", name="Import verwerkt")).to_be_visible()
    assert Student.objects.filter(student_number__in=["880001", "880002"]).count() == 2
    upload(page)
    expect(page.get_by_text("Nieuw: 0")).to_be_visible()
    expect(page.get_by_text("Ongewijzigd: 2")).to_be_visible()
    assert_accessible(page)
    ilse = Student.objects.get(student_number="880001")

    # 2. Consent for sharing at the diploma table, then the warm handover to the RMC.
    page.goto(f"{page.base_url}/toestemming/{ilse.code}/vastleggen/")
    for purpose in Purpose.values:
        answer = "Toestemming gegeven" if purpose == Purpose.SHARING else "Niet gevraagd"
        page.get_by_role("group", name=title(ilse, purpose)).get_by_label(answer).check()
    page.get_by_label("Op papier, bij de diplomapapieren").check()
    page.get_by_role("button", name="Antwoorden vastleggen").click()
    expect(page.get_by_text("De antwoorden zijn vastgelegd.")).to_be_visible()
    page.goto(f"{page.base_url}/jongeren/{ilse.code}/")
    page.get_by_role("link", name="Warme overdracht").click()
    page.get_by_label("Wat wil de jongere (eigen woorden)").fill("Ik wil in de zorg werken, het liefst met ouderen.")
    receiver = page.get_by_label("Aanbieden aan")
    rmc = receiver.locator("option", has_text="RMC / Doorstroompunt IJssel-Vecht (").first.get_attribute("value")
    receiver.select_option(value=rmc)
    page.get_by_role("button", name="Opslaan en aanbieden").click()
    expect(page.get_by_text(re.compile("^Overdracht aangeboden aan"))).to_be_visible()

    # 3. The RMC coordinator accepts and assigns the coach.
    switch_to(page, "rmc@kwint.demo")
    page.goto(page.base_url + "/jongeren/overdrachten/")
    page.get_by_role("link", name=ilse.full_name).click()
    coach = page.get_by_label("Coach die de jongere gaat begeleiden")
    coach.select_option(value=coach.locator("option", has_text="Jamal El Amrani").first.get_attribute("value"))
    page.get_by_role("button", name="Accepteren en coach toewijzen").click()
    expect(page.get_by_text("Overdracht geaccepteerd.")).to_be_visible()
    assert ilse.handovers.get().status == Handover.Status.ACCEPTED

    # 4. The coach shows the young person their personal link; on their phone they say yes
    #    to contact.
    switch_to(page, "coach@kwint.demo")
    page.goto(f"{page.base_url}/toestemming/{ilse.code}/link/")
    page.get_by_role("radio", name=re.compile("Laten zien")).check()
    page.get_by_role("button", name="Link maken").click()
    path = re.search(r"/toestemming/j/[^/]+/", page.get_by_label("De link").input_value()).group(0)
    phone_page.goto(phone_page.base_url + path)
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hoi Ilse"))
    for purpose in Purpose.values:
        answer = "Ja, dat mag" if purpose in (Purpose.CONTACT, Purpose.SHARING) else "Nee, liever niet"
        phone_page.get_by_role("group", name=title(ilse, purpose)).get_by_label(answer).check()
    phone_page.get_by_role("button", name="Verstuur mijn antwoorden").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    keep = phone_page.locator("section[aria-labelledby=withdraw-later] a").get_attribute("href")
    assert CurrentConsent.objects.get(student=ilse, purpose=Purpose.CONTACT).status == Status.GIVEN

    page.goto(page.base_url + "/coaching/caseload/?q=Kramer")
    row = page.locator(f'.caseload-table [data-student="{ilse.code}"]')
    expect(row).to_have_count(1)
    expect(page.locator("section.no-contact")).to_have_count(0)

    # 5. Later she changes her mind, through the same link: no more contact.
    phone_page.goto(phone_page.base_url + re.search(r"/toestemming/j/[^/]+/intrekken/", keep).group(0))
    phone_page.get_by_label(title(ilse, Purpose.CONTACT)).check()
    phone_page.get_by_role("button", name="Toestemming intrekken").click()
    phone_page.wait_for_url(re.compile(r"/toestemming/klaar/$"))
    expect(phone_page.get_by_text("Dat is meteen ingegaan.")).to_be_visible()

    # 6. The caseload changes at once: apart, with the date, nothing to call.
    page.reload()
    expect(row).to_have_count(0)
    section = page.locator("section.no-contact")
    expect(section.get_by_role("link", name=ilse.sort_name)).to_be_visible()
    expect(section).to_contain_text("geen contact gewenst sinds")
    assert_accessible(page)
    assert page.console_errors == [] and phone_page.console_errors == []
