"""The easy-to-read page: texts with described pictures, PJM with a transcript, a text file."""

import re

import pytest
from django.urls import reverse
from wagtail.blocks import StructBlockValidationError
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, streamfield

from kis_pages.blocks import EasyReadTextBlock, SignLanguageVideoBlock
from kis_pages.models import EasyReadPage
from kis_site.demo.loader import read_clubs

from ..conftest import KK_HOST
from ..utils import demo_pages, in_polish, make_club, make_easy_read_page, page_html

HOSTS = {"localhost": "nysa_site", KK_HOST: "kk_site"}


def easy_read_of(site):
    return EasyReadPage.objects.descendant_of(site.root_page).get()


def make_image():
    return Image.objects.create(title="Klub", file=get_test_image_file())


# Blocks


def test_a_picture_without_a_description_is_refused(db):
    block = EasyReadTextBlock()
    value = block.to_python({"heading": "", "text": "Tekst.", "image": make_image().pk})
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert set(error.value.block_errors) == {"alt_text"}


def test_a_picture_with_a_description_and_a_text_without_a_picture_are_accepted(db):
    block = EasyReadTextBlock()
    image = make_image()
    described = block.to_python({"text": "Tekst.", "image": image.pk, "alt_text": "Sala klubu"})
    assert block.clean(described)["alt_text"] == "Sala klubu"
    assert block.clean(block.to_python({"text": "Tekst bez obrazka."}))["image"] is None


def test_a_recording_without_a_transcript_is_refused():
    block = SignLanguageVideoBlock()
    value = block.to_python(
        {"title": "Klub w PJM", "video_url": "https://www.example.org/pjm.mp4", "transcript": ""}
    )
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert set(error.value.block_errors) == {"transcript"}


# The admin


def easy_read_form_data(*blocks):
    return nested_form_data(
        {
            "title": "Tekst łatwy do czytania",
            "slug": "tekst-latwy-do-czytania",
            "body": streamfield(list(blocks)),
        }
    )


def text_block(**fields):
    return (
        "text",
        {"heading": "Co robimy", "text": "Pomagamy.", "image": "", "alt_text": "", **fields},
    )


def video_block(**fields):
    value = {
        "title": "Klub w PJM",
        "video_url": "https://www.example.org/pjm.mp4",
        "transcript": "Pomagamy.",
        **fields,
    }
    return ("sign_language_video", value)


class EasyReadAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.login()
        self.club = make_club()
        self.url = reverse(
            "wagtailadmin_pages:add", args=("kis_pages", "easyreadpage", self.club.pk)
        )

    def publish(self, *blocks):
        return self.client.post(self.url, {**easy_read_form_data(*blocks), "action-publish": "1"})

    def body_errors(self, response):
        self.assertEqual(response.status_code, 200)
        self.assertFalse(EasyReadPage.objects.child_of(self.club).exists())
        (error,) = response.context["form"].errors["body"].as_data()
        return error

    def test_editor_creates_an_easy_read_page_with_a_described_picture_and_a_recording(self):
        image = make_image()
        data = easy_read_form_data(
            text_block(image=image.pk, alt_text="Uczestnicy przy stole"), video_block()
        )
        self.assertCanCreate(self.club, EasyReadPage, data)
        page = EasyReadPage.objects.child_of(self.club).get()
        self.assertEqual([block.block_type for block in page.body], ["text", "sign_language_video"])

    def test_a_picture_without_a_description_is_refused_in_polish(self):
        error = self.body_errors(self.publish(text_block(image=make_image().pk)))
        (alt_error,) = error.block_errors[0].block_errors["alt_text"].messages
        self.assertEqual(alt_error, in_polish("Describe the picture for people who cannot see it."))

    def test_a_recording_without_a_transcript_is_refused(self):
        error = self.body_errors(self.publish(text_block(), video_block(transcript="")))
        self.assertIn("transcript", error.block_errors[1].block_errors)

    def test_a_club_has_one_easy_read_page_at_most(self):
        make_easy_read_page(self.club)
        self.assertFalse(EasyReadPage.can_create_at(self.club))


# The page and its text file


@pytest.mark.parametrize("data", read_clubs(), ids=lambda data: data["club"]["slug"])
def test_the_text_file_says_what_the_text_blocks_say(client, data):
    host = data["site"]["hostname"]
    page_data = data["easy_read"]
    expected = "\n\n".join(
        [page_data["title"], *(f"{text['heading']}\n{text['text']}" for text in page_data["texts"])]
    )
    response = client.get(f"/{page_data['slug']}/tekst/", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"] == (f'attachment; filename="{page_data["slug"]}.txt"')
    assert response.content.decode("utf-8") == expected + "\n"


def test_the_text_file_follows_an_edit_of_the_page(client):
    club = make_club(hostname="etr.localhost")
    page = make_easy_read_page(club)
    page.body[1].value["text"] = "Zadzwoń do nas w poniedziałek."
    page.save_revision().publish()
    text = client.get(page.url + "tekst/", HTTP_HOST="etr.localhost").content.decode()
    assert "Zadzwoń do nas w poniedziałek." in text
    assert "Zadzwoń do nas.\n" not in text
    assert "Klub w PJM" not in text  # the recording's transcript repeats the texts


def test_the_demo_recordings_transcript_is_the_page_text(nysa_site, kk_site):
    for site in (nysa_site, kk_site):
        page = easy_read_of(site)
        (video,) = [block.value for block in page.body if block.block_type == "sign_language_video"]
        assert page.plain_text() == f"{page.title}\n\n{video['transcript']}\n"


def test_the_page_shows_described_pictures_the_recording_link_and_the_download(client):
    club = make_club(hostname="etr.localhost")
    image = make_image()
    page = make_easy_read_page(club)
    page.body[0].value["image"] = image
    page.body[0].value["alt_text"] = "Uczestnicy przy stole"
    page.save_revision().publish()
    html = page_html(client, page.url, "etr.localhost")
    assert re.search(r'<img alt="Uczestnicy przy stole"[^>]*class="easy-read__picture"', html)
    assert '<a href="https://www.example.org/pjm.mp4">' in html
    assert f'<a href="{page.relative_url(page.get_site())}tekst/">' in html
    assert "<h2>Co robimy</h2>" in html


@pytest.mark.parametrize("host", list(HOSTS))
def test_every_page_of_a_club_links_its_easy_read_page_from_the_header(request, client, host):
    site = request.getfixturevalue(HOSTS[host])
    easy_read = easy_read_of(site)
    link = f'<a href="{easy_read.relative_url(site)}"'
    for page in demo_pages(site).values():
        html = page_html(client, page.url, host)
        header = html[html.index('<header class="site-header">') : html.index("</header>")]
        assert link in header, page.url
        assert "Tekst łatwy do czytania</a>" in header, page.url


def test_a_club_without_an_easy_read_page_has_no_header_link(client):
    make_club(hostname="bez-etr.localhost")
    html = page_html(client, "/", "bez-etr.localhost")
    assert "Tekst łatwy do czytania" not in html
