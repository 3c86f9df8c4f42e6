"""The app as served, plus one bare page for the benchmark: 50 cards rendered through the same
Jinja2 engine with no database, the framework's ceiling for a page of this size."""

from __future__ import annotations

from datetime import date

from jinja2 import ChoiceLoader, DictLoader
from litestar import Litestar, get
from litestar.response import Template

from server.app import create_app as create_real_app

CEILING = """<!doctype html><html lang="en"><head><title>Ceiling</title></head><body><ul>
{% for card in cards %}<li class="card memory-card">
<img src="/media/{{ card.id }}/thumb.webp?exp=1&sig=abc" width="400" height="300"
 alt="{{ card.title }}" loading="lazy">
<h4><a href="/m/{{ card.id }}">{{ card.title }}</a></h4>
<p class="meta"><time datetime="{{ card.day }}">{{ card.day | long_date }}</time>
 · {{ card.place }}</p>
<p class="excerpt">{{ card.body | excerpt }}</p>
<p class="card-foot"><span class="rating">Ana {{ "♥" * card.score }}</span>
 <span>2 replies</span></p>
</li>{% endfor %}</ul></body></html>"""

CARDS = [
    {
        "id": f"00000000-0000-0000-0000-{n:012d}",
        "title": f"Sunday walk {n}",
        "day": date(2020, 1 + n % 12, 1 + n % 28),
        "place": "Victoria Park",
        "body": "Around the park, slowly, talking about nothing and everything. " * 3,
        "score": 1 + n % 5,
    }
    for n in range(50)
]


@get("/bench/ceiling", include_in_schema=False)
async def ceiling() -> Template:
    return Template("bench/ceiling.html", context={"cards": CARDS})


def create_app() -> Litestar:
    app = create_real_app()
    app.register(ceiling)
    environment = app.template_engine.engine
    environment.loader = ChoiceLoader(
        [environment.loader, DictLoader({"bench/ceiling.html": CEILING})]
    )
    return app
