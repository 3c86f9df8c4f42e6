"""How a letter addresses its reader: by first name, the greeting by the hour where they
are, and a subject that puts their name before the best of the day."""

from __future__ import annotations

from datetime import UTC, date, datetime

from server.worker.letters import greeting, subject_of
from timeline.mail.letters import Anniversary, Letter, first_name
from timeline.models import Timeline, User

KAI = User(display_name="Kai 🌊 Nakamura", email="kai@example.org", timezone="Asia/Tokyo")


def test_a_letter_calls_someone_by_the_first_word_of_their_name():
    assert first_name("Zoë Ångström") == "Zoë"
    assert first_name("Kai 🌊 Nakamura") == "Kai"
    assert first_name("  Madonna ") == "Madonna"


def test_the_greeting_follows_the_hour_where_the_reader_is():
    letter = Letter(KAI, date(2026, 6, 15))

    # 23:00 UTC is 08:00 the next morning in Tokyo; 03:00 UTC is noon there.
    assert greeting(letter, datetime(2026, 6, 14, 23, 0, tzinfo=UTC)) == "Good morning, Kai"
    assert greeting(letter, datetime(2026, 6, 15, 3, 0, tzinfo=UTC)) == "Hello, Kai"


def test_the_subject_names_the_reader_then_the_day():
    together = Anniversary(Timeline(name="Us"), years=1)
    letter = Letter(KAI, date(2026, 6, 15), anniversaries=[together])

    assert subject_of(letter) == "Kai, 1 year together today"
