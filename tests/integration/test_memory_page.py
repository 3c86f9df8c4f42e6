"""The memory page as a couple reads it: photos first, each once and sized before it
arrives; both partners' words in their own voice; the one who has not answered invited by
name; the heart selector a radio group read "n of 5"."""

from __future__ import annotations

from bs4 import Tag

from tests import images
from tests.support import (
    csrf_token,
    page_soup,
    rate_memory,
    upload_photo,
    visible_text,
    web_log_in,
    write_memory,
)
from timeline.models import Photo

BAGUETTE = "How you turned a soggy baguette into the best afternoon of that summer"


def heard(node: Tag) -> str:
    """The text of `node` as a screen reader reads it: without what is hidden from it."""
    node = page_soup(str(node))
    for hidden in node.select("[aria-hidden=true]"):
        hidden.decompose()
    return visible_text(node)


async def picnic(client, couple):
    """Ana's picnic; Sam said how close he felt and why, Ana only how close."""
    ana, sam, timeline_id = await couple()
    memory = await write_memory(client, ana, timeline_id, "Picnic", "2023-06-14")
    await rate_memory(client, sam, memory, 5, BAGUETTE)
    return ana, sam, memory


async def test_love_notes_name_their_author_with_their_score(client, couple):
    ana, _sam, memory = await picnic(client, couple)
    await rate_memory(client, ana, memory, 4)
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/m/{memory['id']}")).text)

    notes = page.select("#connection .love-note")
    assert [heard(note.figcaption) for note in notes] == ["Sam · 5 of 5", "Ana · 4 of 5"]
    assert visible_text(notes[0].blockquote) == BAGUETTE
    assert notes[1].blockquote is None
    assert visible_text(notes[0].select_one(".hearts")) == "♥♥♥♥♥"


async def test_the_member_who_has_not_rated_is_invited_by_name_and_not_waited_for(client, couple):
    ana, sam, memory = await picnic(client, couple)
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/m/{memory['id']}")).text)

    connection = page.select_one("#connection")
    assert visible_text(connection.select_one(".invite")) == "What did it feel like for you, Ana?"
    assert heard(connection.select_one(".love-note figcaption")) == "Sam · 5 of 5"

    await rate_memory(client, ana, memory, 3)
    await web_log_in(client, sam.email)
    sams = page_soup((await client.get(f"/m/{memory['id']}")).text).select_one("#connection")
    assert sams.select_one(".invite") is None
    assert "not said" not in visible_text(sams)


async def test_the_heart_selector_is_a_radio_group_read_as_n_of_5(client, couple):
    ana, _, memory = await picnic(client, couple)
    await web_log_in(client, ana.email)
    path = f"/m/{memory['id']}"

    html = (await client.get(path)).text
    page = page_soup(html)

    hearts = page.select_one("#connection fieldset.heart-selector")
    assert visible_text(hearts.legend) == "How close did you feel?"
    radios = hearts.select("input[type=radio][name=score]")
    assert [heard(radio.parent) for radio in radios] == [f"{n} of 5" for n in range(1, 6)]
    assert all(radio.parent.name == "label" for radio in radios)
    assert page.select("p form") == []

    # Refused, it comes back with what was chosen and typed, the reason beside its field.
    refused = await client.post(
        f"{path}/connection",
        data={"score": "4", "appreciation": "x" * 2001, "_csrf_token": csrf_token(html)},
    )
    again = page_soup(refused.text)
    assert refused.status_code == 422
    assert again.select_one("input[name=score][checked]")["value"] == "4"
    assert again.select_one("#appreciation").text == "x" * 2001
    assert again.select_one("#appreciation")["aria-describedby"] == "appreciation-error"
    no_score = await client.post(
        f"{path}/connection",
        data={"score": "", "appreciation": "Your laugh", "_csrf_token": csrf_token(html)},
    )
    hearts = page_soup(no_score.text).select_one("fieldset.heart-selector")
    assert hearts["aria-describedby"] == "score-scale score-error"
    assert visible_text(hearts.select_one("#score-error")) != ""
    assert page_soup(no_score.text).select_one("#appreciation").text == "Your laugh"

    await rate_memory(client, ana, memory, 2)
    mine = page_soup((await client.get(path)).text)
    assert mine.select_one("input[name=score][checked]")["value"] == "2"
    assert mine.select("p form") == []


async def test_images_carry_their_size_a_srcset_and_a_caption(client, couple):
    ana, _, memory = await picnic(client, couple)
    for data in (images.large_jpeg(2400, 1800), images.large_jpeg(1200, 1800)):
        assert (await upload_photo(client, ana, memory["id"], data)).status_code == 201
    # A caption, written on the app's own loop (the API does not take captions).
    first = {"memory_id": memory["id"], "position": 0}
    client.blocking_portal.call(lambda: Photo.filter(**first).update(caption="The bench"))
    await web_log_in(client, ana.email)

    page = page_soup((await client.get(f"/m/{memory['id']}")).text)

    shown = page.select(".memory-photos img")
    assert [(img["width"], img["height"]) for img in shown] == [("1600", "1200"), ("1067", "1600")]
    assert [len(img["srcset"].split(", ")) for img in shown] == [2, 2]
    assert shown[0]["srcset"].endswith(" 1600w")
    links = page.select(".memory-photos a")
    assert [(a["data-pswp-width"], a["data-pswp-height"]) for a in links] == [
        ("1600", "1200"),
        ("1067", "1600"),
    ]
    # The viewer's caption: the photo's own, else none (it then reads the alt text).
    assert [a["data-caption"] for a in links] == ["The bench", ""]
    assert [img["alt"] for img in shown] == ["The bench", "Picnic"]
    # Without JavaScript a photo opens as its display image.
    assert [a["href"] for a in links] == [img["srcset"].split(", ")[1][:-6] for img in shown]


async def test_a_then_and_now_page_shows_each_photo_once(client, couple):
    ana, _sam, memory = await picnic(client, couple)
    await rate_memory(client, ana, memory, 5)
    then = await upload_photo(client, ana, memory["id"], images.large_jpeg(800, 600))
    again = await write_memory(client, ana, memory["timeline_id"], "Picnic, again", "2026-06-14")
    now = [
        await upload_photo(client, ana, again["id"], images.large_jpeg(600, 800, quality=q))
        for q in (80, 70)
    ]
    pick = await client.get(
        f"/api/v1/timelines/{memory['timeline_id']}/resurfacing/today", headers=ana.auth
    )
    done = await client.post(
        f"/api/v1/suggestions/{pick.json()['suggestion_id']}/feedback",
        json={"action": "done", "memory_id": again["id"]},
        headers=ana.auth,
    )
    assert done.status_code == 200, done.text
    await web_log_in(client, ana.email)

    page = await client.get(f"/m/{again['id']}")

    shown = page_soup(page.text).select(".memory-photos a[data-pswp-width]")
    assert [a["data-original"].split("?")[0] for a in shown] == [
        f"/photos/{r.json()['id']}/original" for r in (then, *now)
    ]
    pair = page_soup(page.text).select(".then-and-now figcaption")
    assert [visible_text(f) for f in pair] == [
        "Then · Picnic · 14 June 2023",
        "Now · 14 June 2026",
    ]
