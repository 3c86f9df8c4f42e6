"""`remember-when demo`: Ana and Sam's story since their first date, told through the domain."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from media.storage import Storage
from server.commands.demo_scenes import Scene, paint
from timeline.accounts.credentials import account_with_email, sign_up
from timeline.core.calendar import in_year
from timeline.memories.photos import add_photo
from timeline.memories.writing import MemoryDraft, add_reply, create_memory, set_connection
from timeline.models import Memory, User
from timeline.resurfacing.daily_pick import answer, record_pick
from timeline.timelines.invites import accept_invite, create_invite
from timeline.timelines.membership import create_timeline
from timeline.timelines.milestones import MilestoneDraft, add_milestone

# Printed for anyone to use: the demo is for looking around, never for real memories.
PASSWORD = "remember-when-demo"  # noqa: S105
ANA, SAM = "ana@demo.example", "sam@demo.example"
TOGETHER_SINCE = date(2019, 6, 12)
# The dated story stops where the last year, told relative to `now`, begins: so the story
# never runs past today, and the newest weeks are always the newest.
RECENT = timedelta(days=365)


@dataclass(frozen=True)
class Ago:
    """A day told relative to today: `days` before it, or `years` before it to the day."""

    days: int = 0
    years: int = 0


@dataclass(frozen=True)
class Moment:
    """One memory of the story, as its author wrote it, with what each of them felt."""

    on: date | Ago
    by: str  # "ana" or "sam"
    title: str
    kind: str
    place: str
    tags: tuple[str, ...]
    story: str
    ana: tuple[int, str] | None
    sam: tuple[int, str] | None
    replies: tuple[tuple[str, str], ...] = ()
    # Photos, each as "setting light shape", with " alone" or " empty" for fewer people.
    photos: tuple[str, ...] = ()
    precision: str = "day"
    # A name for this moment that a later one recreates (`recreates`).
    key: str = ""
    recreates: str = ""


STORY: tuple[Moment, ...] = (
    # Year 1: London, summer 2019 to spring 2020.
    Moment(
        date(2019, 6, 12),
        "sam",
        "Our first date: a picnic in Victoria Park",
        "first",
        "Victoria Park, London",
        ("first date", "picnic", "summer"),
        "Ana was twenty minutes late and arrived with a baguette that had been caught in the rain."
        " We ate it anyway, on the bench by the boating lake, and talked until the park keepers"
        " rang the closing bell.",
        (5, "That Sam laughed about the soggy bread instead of pretending not to see it."),
        (5, "How you turned a soggy baguette into the best afternoon of that summer."),
        (
            ("ana", "In my defence, it was a very good baguette before the rain."),
            ("sam", "It was a very good baguette after the rain too."),
        ),
        ("park golden landscape", "park day wide"),
        key="first date",
    ),
    Moment(
        date(2019, 7, 6),
        "ana",
        "Swimming in the ladies' and men's ponds, then cake",
        "date",
        "Hampstead Heath, London",
        ("swimming", "summer"),
        "Separate ponds, so we raced to see who would be dressed first. Sam won and bought the"
        " cake, then ate half of mine while I dried my hair.",
        (4, "The cake, and that you saved me the last bite of it."),
        (4, "How brave you were in that cold water."),
        photos=("lake day landscape",),
    ),
    Moment(
        date(2019, 8, 1),
        "sam",
        "The summer of long walks along the canal",
        "everyday",
        "Regent's Canal, London",
        ("walks", "summer"),
        "Most evenings that August we walked from Victoria Park to King's Cross and back. We"
        " named the narrowboats and argued about which one we would live on.",
        (4, "That we never ran out of things to say."),
        (5, "Your list of boat names, still in my phone."),
        (("ana", "Bartholomew the narrowboat. I stand by it."),),
        ("river_city golden landscape",),
        precision="month",
    ),
    Moment(
        date(2019, 10, 18),
        "ana",
        "Our first trip: Lisbon, to meet my family",
        "first",
        "Lisbon",
        ("travel", "family", "lisbon"),
        "Sam practised 'muito prazer' on the plane forty times. My mother fed him until he could"
        " not stand, and my grandmother decided she liked him when he asked for more caldo verde."
        " We rode tram 28 to the end of the line and back.",
        (5, "How hard you tried with my family, and how quickly they loved you."),
        (5, "Seeing the city you grew up in through your eyes."),
        (
            ("sam", "Avó Lurdes still sends me the recipe every Christmas."),
            ("ana", "She sends it to you and not to me. I have noticed."),
        ),
        ("city dusk portrait", "river_city night landscape"),
        key="lisbon",
    ),
    Moment(
        date(2019, 12, 25),
        "sam",
        "Our first Christmas, at my parents' in Bath",
        "first",
        "Bath",
        ("christmas", "family", "winter"),
        "Mum gave Ana a stocking with her name already sewn on it. Dad lost at charades and"
        " claimed the rules were different in Portugal.",
        (4, "That your family made room for me at the table as if I had always been there."),
        (5, "Ana teaching Dad to say 'Feliz Natal' with a straight face."),
        photos=("home night landscape",),
    ),
    Moment(
        date(2020, 2, 9),
        "ana",
        "Snow on the Heath",
        "everyday",
        "Hampstead Heath, London",
        ("winter", "snow"),
        "The first real snow I had ever seen. Sam ran outside in slippers to catch a snowflake"
        " for me and then had to be carried home, nearly.",
        (5, "Your wet slippers and your big grin."),
        (4, "Watching you see snow properly for the first time."),
        (("sam", "Those slippers never recovered."),),
        ("snow day landscape",),
    ),
    Moment(
        date(2020, 4, 1),
        "ana",
        "The long spring indoors",
        "everyday",
        "Sam's flat, Hackney",
        ("home", "baking"),
        "We learned to bake bread. My sourdough starter was called Fernando, and Sam talked to"
        " him more than to his friends. Hard weeks, and somehow soft ones too.",
        (4, "That being stuck inside with you never felt like being stuck."),
        (4, "Fernando. And the Friday film we never skipped."),
        photos=("home golden portrait",),
        precision="month",
    ),
    Moment(
        date(2020, 5, 30),
        "sam",
        "A birthday on the balcony",
        "date",
        "Sam's flat, Hackney",
        ("birthday",),
        "Nowhere to go, so Ana turned the balcony into a restaurant: a menu written in chalk, a"
        " tablecloth, and a waiter who was also the chef and the band.",
        (4, "Sam wearing a tie for a dinner three metres from the kitchen."),
        (5, "The chalk menu. I kept it, and it is still on the fridge."),
        (("ana", "The band was underpaid."), ("sam", "The band was wonderful.")),
        ("city golden landscape",),
    ),
    # Year 2: summer 2020 to spring 2021.
    Moment(
        date(2020, 6, 12),
        "ana",
        "One year: cherries on the same bench",
        "date",
        "Victoria Park, London",
        ("anniversary", "picnic"),
        "No baguette this time, no rain. A bag of cherries, the bench by the lake, and the"
        " question we had both been avoiding: should we live together?",
        (5, "That you said yes before I had finished asking."),
        (5, "Your face when I said yes."),
        photos=("park day landscape",),
    ),
    Moment(
        date(2020, 9, 5),
        "sam",
        "Moving into our first flat",
        "first",
        "Our flat, Walthamstow",
        ("home", "moving"),
        "Boxes everywhere, one chair, a bottle of wine and a lot of hope. We ate noodles on the"
        " floor and decided the chair was Ana's.",
        (5, "The first night, on a mattress on the floor, laughing in the dark."),
        (5, "Carrying you over the threshold and nearly dropping you."),
        (("ana", "You did drop the noodles."), ("sam", "A sacrifice for love.")),
        ("home dusk landscape",),
    ),
    Moment(
        date(2020, 10, 24),
        "sam",
        "Pumpkin soup, your grandmother's way",
        "everyday",
        "Our flat, Walthamstow",
        ("cooking", "family"),
        "I rang Avó Lurdes on video and she talked me through it in Portuguese while Ana"
        " translated. It was nothing like hers, and Ana said it was exactly like hers.",
        (5, "That you learned it for me, without being asked."),
        (4, "Avó shouting 'mais sal!' through the phone."),
        photos=("kitchen night portrait",),
    ),
    Moment(
        date(2020, 12, 1),
        "ana",
        "Friday check-ins begin",
        "ritual",
        "The kitchen table",
        ("check-in", "ritual"),
        "Every Friday, with tea: what went well this week, what was hard, what we are looking"
        " forward to. The first one took ten minutes. The third one took two hours.",
        (4, "That we kept it up even in the busy weeks."),
        (4, "Learning what you worry about before it becomes a worry."),
        precision="month",
    ),
    Moment(
        date(2021, 2, 7),
        "ana",
        "Sledging on a baking tray",
        "everyday",
        "Lloyd Park, Walthamstow",
        ("winter", "snow"),
        "Snow again, and no sledge in the whole of east London. Sam borrowed the baking tray"
        " and we went down the only slope in the park until it bent.",
        (5, "Laughing so hard I had to lie down in the snow."),
        (4, "Ana's scream on the first run."),
        (("sam", "We still bake with that tray. It has a story now."),),
        ("snow dawn wide",),
    ),
    Moment(
        date(2021, 4, 17),
        "sam",
        "Our first camping trip (the tent leaked)",
        "first",
        "New Forest",
        ("camping", "outdoors"),
        "It rained at two in the morning and the tent leaked onto Ana's side only. We laughed"
        " until we could not breathe, then watched the ponies at dawn wrapped in one dry"
        " sleeping bag.",
        (4, "The dawn, and the ponies, and the one dry sleeping bag."),
        (5, "That you laughed instead of wanting to go home."),
        photos=("hills dawn wide",),
    ),
    Moment(
        date(2021, 5, 23),
        "sam",
        "Sunday pancakes",
        "ritual",
        "Our flat, Walthamstow",
        ("sunday", "breakfast"),
        "Ana burns the first one, always, and always says the pan was not ready. The second is"
        " perfect. This has happened every Sunday for a year.",
        (4, "That you eat the burnt one so I don't have to."),
        (4, "The pancake ritual. It is the best hour of the week."),
        photos=("kitchen day landscape",),
    ),
    # Year 3: summer 2021 to spring 2022.
    Moment(
        date(2021, 7, 3),
        "sam",
        "A long weekend in Porto",
        "trip",
        "Porto",
        ("travel", "porto"),
        "Ana's cousin showed us the city from the top of the Dom Luís bridge. We ate a"
        " francesinha each and could not move for an hour. I said I could live here. Ana"
        " remembered.",
        (4, "That you fell for Porto as fast as I had."),
        (5, "The view from the bridge at sunset."),
        (("ana", "I did remember. I wrote it down."),),
        ("river_city golden landscape",),
    ),
    Moment(
        date(2021, 8, 14),
        "ana",
        "Lake Bled at sunrise",
        "trip",
        "Lake Bled, Slovenia",
        ("travel", "lake", "summer"),
        "We rowed to the island before anyone else was awake. Sam rang the wishing bell and"
        " would not tell me what he wished for.",
        (5, "The quiet on the water, and just the two of us in it."),
        (5, "Rowing you out across the mirror of the lake."),
        (("ana", "You can tell me now."), ("sam", "It came true. You said 'yes, obviously'.")),
        ("lake dawn wide", "lake day portrait"),
    ),
    Moment(
        date(2021, 1, 1),
        "ana",
        "The year of the allotment",
        "everyday",
        "Walthamstow allotments",
        ("garden",),
        "Sometime that year we took on half an allotment and grew eleven courgettes, three"
        " tomatoes and one enormous pumpkin that we could not lift into the car.",
        (4, "Sam talking to the tomatoes."),
        (4, "Getting dirty together on Saturday mornings."),
        photos=("park day landscape",),
        precision="year",
    ),
    Moment(
        date(2021, 11, 5),
        "sam",
        "Fireworks from Primrose Hill",
        "date",
        "Primrose Hill, London",
        ("autumn", "night"),
        "Half of London was up there. We found a gap by the fence and Ana counted the colours"
        " in Portuguese.",
        (4, "Your hands in my pockets to keep warm."),
        (3, "The crowd, less so. The view, completely."),
        photos=("city night landscape",),
    ),
    Moment(
        date(2022, 1, 19),
        "ana",
        "Five nights at the Whittington",
        "other",
        "Whittington Hospital, London",
        ("hospital", "hard days"),
        "Sam's appendix, then the complications. I slept in the chair by the window and"
        " watched the sky go light over the car park every morning. We came home together on"
        " the fifth day, slowly.",
        (4, "That we got to go home together."),
        (5, "That you were there every time I opened my eyes."),
        (
            ("sam", "I still don't know how you stayed so calm."),
            ("ana", "I wasn't. I just held your hand so you wouldn't notice."),
        ),
        ("window dawn portrait empty",),
    ),
    Moment(
        date(2022, 3, 12),
        "sam",
        "A slow walk, the first one after",
        "everyday",
        "Lloyd Park, Walthamstow",
        ("walks", "spring"),
        "Twice round the pond, at my pace. Ana pretended she wanted to stop at every bench.",
        (5, "Seeing you outside again, with colour in your cheeks."),
        (5, "Every one of those pretend rests."),
        photos=("park day portrait",),
    ),
    Moment(
        date(2022, 5, 15),
        "ana",
        "My first half marathon",
        "first",
        "Hackney, London",
        ("running",),
        "Sam was at mile 3, mile 8 and the finish, with a different sign each time. The last one"
        " said 'nearly pancake time'.",
        (5, "Seeing your signs when my legs had given up."),
        (4, "Watching you cross the line, crying and laughing."),
        (("sam", "Mile 8 took me three buses."),),
        ("city day landscape alone",),
    ),
    # Year 4: summer 2022 to spring 2023.
    Moment(
        date(2022, 7, 30),
        "sam",
        "Wild swimming at Porthcurno",
        "date",
        "Porthcurno, Cornwall",
        ("sea", "swimming", "summer"),
        "Turquoise water, freezing, and the best chips of our lives on the cliff afterwards."
        " Ana went in first and called me a coward from the waves.",
        (5, "Your shout when the cold hit you."),
        (4, "That turquoise. I didn't know England had it."),
        photos=("sea day wide",),
    ),
    Moment(
        date(2022, 9, 10),
        "ana",
        "Fado night in Alfama",
        "date",
        "Alfama, Lisbon",
        ("music", "lisbon"),
        "A tiny tasca, ten tables, a singer who closed her eyes. Sam did not understand a word"
        " and cried anyway. So did I.",
        (5, "Sharing that with you: the music I grew up with."),
        (5, "Understanding the song without the words."),
        photos=("city night portrait",),
    ),
    Moment(
        date(2022, 12, 17),
        "sam",
        "The proposal, above Lisbon",
        "milestone",
        "Miradouro da Senhora do Monte, Lisbon",
        ("engagement", "lisbon", "winter"),
        "The wish at Lake Bled, finally. I had carried the ring in my sock for three days. The"
        " sun went down over the castle, I got down on one knee, and Ana said 'yes, obviously,"
        " get up, the ground is wet'.",
        (5, "Everything. The sock. The wet knee. You."),
        (5, "'Yes, obviously.'"),
        (
            ("ana", "I knew something was up. You checked your sock every ten minutes."),
            ("sam", "A ring in a sock is very uncomfortable."),
            ("ana", "Best three days of your life."),
        ),
        ("city dusk portrait", "city golden wide"),
    ),
    Moment(
        date(2023, 2, 4),
        "ana",
        "Both families around one table",
        "date",
        "The little Italian place, Walthamstow",
        ("family", "engagement"),
        "My parents flew over, Sam's came up from Bath. Dad and Sam's dad found they both"
        " support hopeless football teams and were friends by the starters.",
        (4, "Seeing our two families laughing together."),
        (4, "Your mum's toast, half in English and half in Portuguese."),
        photos=("home night landscape",),
    ),
    Moment(
        date(2023, 4, 1),
        "sam",
        "Choosing the rings",
        "everyday",
        "Hatton Garden, London",
        ("wedding",),
        "Seven shops. Ana wanted plain, I wanted plain, and it still took all day.",
        (3, "That we agreed, in the end, on the first ones we saw."),
        None,
        precision="month",
    ),
    Moment(
        date(2023, 5, 13),
        "ana",
        "Bluebells in Epping Forest",
        "everyday",
        "Epping Forest",
        ("spring", "walks"),
        "A carpet of blue as far as we could see. We lay down among them and talked about the"
        " wedding guest list, and then about nothing.",
        (4, "Lying in the bluebells with you, no phones."),
        (4, "The light through the new leaves."),
        photos=("park golden portrait",),
    ),
    Moment(
        date(2023, 1, 1),
        "sam",
        "The year of the wedding spreadsheet",
        "everyday",
        "Our flat, Walthamstow",
        ("wedding", "planning"),
        "Forty-one tabs. One of them was only for the seating of the Portuguese aunts.",
        (3, "That we planned it together, even the boring parts."),
        (4, "Ana's colour-coding of the aunts."),
        precision="year",
    ),
    # Year 5: summer 2023 to spring 2024.
    Moment(
        date(2023, 6, 12),
        "sam",
        "Four years: breakfast in bed",
        "date",
        "Our flat, Walthamstow",
        ("anniversary", "breakfast"),
        "Pancakes, not burnt (I made them), and a card with the first photo of us in it, on"
        " the bench in Victoria Park.",
        (5, "The card. I cried into the pancakes."),
        (4, "That you still keep that photo in your wallet."),
        photos=("home dawn landscape",),
    ),
    Moment(
        date(2023, 9, 16),
        "ana",
        "Our wedding",
        "milestone",
        "A quinta near Sintra",
        ("wedding", "family"),
        "Under the old cork oak, with everyone we love. Avó Lurdes danced with Sam's dad. Sam"
        " cried through his vows and I cried through mine, and the photographer said she had"
        " never seen such a damp couple.",
        (5, "Your voice shaking through the vows, and then steadying when you looked at me."),
        (5, "Seeing you walk towards me under that tree."),
        (
            ("sam", "Best day of my life, and I have the photos to prove it."),
            ("ana", "Avó is still talking about the dance."),
            ("sam", "Your Avó can really dance."),
        ),
        ("park golden portrait", "hills dusk wide", "park day landscape"),
    ),
    Moment(
        date(2023, 9, 24),
        "sam",
        "Honeymoon on the Algarve coast",
        "trip",
        "Praia da Marinha, Algarve",
        ("honeymoon", "sea"),
        "A week of doing nothing together. The caves at low tide, the sunsets from the cliffs,"
        " grilled fish every single night.",
        (5, "Having you all to myself for a week."),
        (5, "The sunsets, and holding hands through every one."),
        photos=("sea dusk wide", "sea golden portrait"),
    ),
    Moment(
        date(2023, 11, 1),
        "ana",
        "Deciding to move to Porto",
        "everyday",
        "The kitchen table",
        ("porto", "big decisions"),
        "A Friday check-in that lasted until two in the morning. A list of pros and cons, and"
        " then Sam read out what he had said on the bridge in 2021.",
        (5, "That you remembered what you said on the bridge."),
        (4, "Choosing a whole new life together, at the kitchen table."),
        precision="month",
    ),
    Moment(
        date(2024, 1, 13),
        "sam",
        "Last night in the Walthamstow flat",
        "everyday",
        "Our flat, Walthamstow",
        ("home", "goodbye", "winter"),
        "Everything in boxes again, one chair again. We sat on the floor where the sofa had"
        " been and told each other our favourite moments from that flat.",
        (4, "Your list of favourite moments. Mine were all on it."),
        (4, "Saying goodbye to our first home together."),
        photos=("home night portrait",),
    ),
    Moment(
        date(2024, 3, 2),
        "ana",
        "Moving to Porto",
        "milestone",
        "Porto",
        ("porto", "home", "moving"),
        "A flat in Bonfim with a balcony and a view of the river if you lean out far enough."
        " Sam leaned out far enough on the first evening and I held on to his belt.",
        (5, "Coming home to my country, with you."),
        (5, "Being held on to, literally."),
        (("sam", "Every evening I still lean out and look."),),
        ("river_city golden landscape",),
    ),
    Moment(
        date(2024, 4, 25),
        "ana",
        "Carnations on the 25th of April",
        "everyday",
        "Avenida da Liberdade, Lisbon",
        ("lisbon", "history"),
        "The whole avenue in red carnations. I told Sam what the day means to my family; he"
        " wore his carnation for a week.",
        (4, "That you asked about Avô, and listened."),
        (4, "Being part of your family's day."),
        photos=("city day portrait",),
    ),
    # Year 6: summer 2024 to spring 2025.
    Moment(
        date(2024, 6, 12),
        "sam",
        "Victoria Park, five years on",
        "date",
        "Victoria Park, London",
        ("anniversary", "picnic"),
        "We flew back to London for the day to do our first date again. Same bench, same lake."
        " Ana brought the baguette in a waterproof bag this time.",
        (5, "Same bench, same you, five years later."),
        (5, "The baguette in its waterproof bag. Growth."),
        (("ana", "Next time I'm bringing the soggy one on purpose."),),
        ("park golden landscape", "park day portrait"),
        recreates="first date",
    ),
    Moment(
        date(2024, 6, 23),
        "ana",
        "São João: hammers and sardines",
        "date",
        "Ribeira, Porto",
        ("porto", "festival", "summer"),
        "The whole city out all night hitting each other on the head with plastic hammers. Sam"
        " was shy for ten minutes and then unstoppable.",
        (5, "Your first São João, and how Porto welcomed you."),
        (5, "Sardines at 3 a.m. and the balloons over the river."),
        photos=("river_city night wide",),
    ),
    Moment(
        date(2024, 8, 10),
        "sam",
        "Our first surf lesson",
        "first",
        "Matosinhos beach",
        ("sea", "surf"),
        "Ana stood up on her third wave. I stood up on my thirty-first. The instructor said I"
        " had 'great enthusiasm'.",
        (4, "Your great enthusiasm."),
        (4, "Ana on her third wave, shouting my name."),
        photos=("sea day landscape",),
    ),
    Moment(
        date(2024, 10, 19),
        "ana",
        "Harvest in the Douro valley",
        "trip",
        "Douro valley",
        ("autumn", "wine", "travel"),
        "We picked grapes at a friend's quinta and trod them in the evening, singing along with"
        " the older women who knew all the songs.",
        (5, "The terraces in the evening light, and you with purple feet."),
        (4, "Being let in on a tradition."),
        photos=("hills golden wide",),
    ),
    Moment(
        date(2024, 12, 24),
        "sam",
        "Consoada at Avó's: bacalhau for twelve",
        "everyday",
        "Avó Lurdes's house, Lisbon",
        ("christmas", "family"),
        "Twelve of us around a table built for six. Avó gave me the biggest piece of bacalhau"
        " and said I was finally Portuguese enough.",
        (5, "Avó's face at the head of the table."),
        (5, "'Finally Portuguese enough.'"),
        photos=("home night landscape",),
    ),
    Moment(
        date(2025, 2, 22),
        "ana",
        "Saying goodbye to Avó Lurdes",
        "other",
        "Lisbon",
        ("family", "grief"),
        "She went in her sleep, ninety-one. We sat in her kitchen afterwards and Sam made her"
        " caldo verde for everyone, the way she had taught him on the phone.",
        (4, "That you cooked her soup for all of us."),
        (4, "Being trusted with her recipe, and with you that day."),
        (("sam", "She would have said 'mais sal'."), ("ana", "She would have. She was right.")),
        ("window dusk portrait empty",),
    ),
    Moment(
        date(2025, 4, 5),
        "ana",
        "Planting Avó's lemon tree",
        "everyday",
        "Our balcony, Porto",
        ("home", "family", "garden"),
        "A cutting from the tree in her yard, in a big pot on our balcony. Sam waters it every"
        " morning and tells it the news.",
        (5, "Something of her, growing with us."),
        (4, "The first blossom, three weeks later."),
        photos=("city day landscape",),
    ),
    # Year 7 onwards, as far as the last year told relative to today allows.
    Moment(
        date(2025, 6, 12),
        "sam",
        "Six years: sunrise at Foz",
        "date",
        "Foz do Douro, Porto",
        ("anniversary", "sea"),
        "We set an alarm for five and walked to the lighthouse to watch the sun come up over"
        " the river mouth. Coffee from a flask, and a list of six things for the next six years.",
        (5, "The list, and that you put 'more pancakes' on it."),
        (5, "Sunrise with you at the edge of the sea."),
        photos=("sea dawn wide",),
    ),
    Moment(
        date(2025, 8, 16),
        "ana",
        "Swimming in the Atlantic in August",
        "everyday",
        "Praia da Luz, Porto",
        ("sea", "summer"),
        "Cold enough to make Sam swear in three languages.",
        (4, "Three languages!"),
        (3, "You, laughing at me from the warm sand."),
        photos=("sea day landscape",),
    ),
    Moment(
        date(2025, 10, 11),
        "sam",
        "Chestnuts at the Bolhão market",
        "everyday",
        "Mercado do Bolhão, Porto",
        ("autumn", "market"),
        "Roast chestnuts in a paper cone, and Ana arguing with the fishmonger like an old friend.",
        (4, "Hot chestnuts and cold hands."),
        (4, "Ana's fishmonger diplomacy."),
        photos=("city golden portrait",),
    ),
    # The last year, told relative to today so the timeline is alive whenever it is made.
    Moment(
        Ago(years=4),
        "sam",
        "Evening at the Walthamstow Wetlands",
        "everyday",
        "Walthamstow Wetlands, London",
        ("walks", "birds"),
        "Ana spotted a heron before I did, for once, and would not let me forget it the whole"
        " way home.",
        (4, "Winning at heron spotting."),
        (4, "The water going pink, and you holding my arm."),
        photos=("lake dusk landscape",),
    ),
    Moment(
        Ago(years=2),
        "ana",
        "Sunset from the Jardim do Morro",
        "date",
        "Jardim do Morro, Vila Nova de Gaia",
        ("porto", "sunset"),
        "Half of Porto sits on that lawn at sunset. We found a spot on the grass, shared a beer"
        " and watched the city go gold, then blue.",
        (5, "Our new city lighting up, and us in it."),
        (5, "You leaning on my shoulder, saying 'we live here'."),
        (("sam", "We live here!"),),
        ("river_city dusk landscape",),
    ),
    Moment(
        Ago(days=330),
        "sam",
        "Learning to make francesinha",
        "everyday",
        "Our kitchen, Porto",
        ("cooking",),
        "Four hours, every pan we own, and a sauce recipe sworn to secrecy by our neighbour"
        " Dona Rosa.",
        (4, "That you tried. It was almost edible."),
        (4, "Dona Rosa inspecting my sauce."),
        photos=("kitchen dusk landscape",),
    ),
    Moment(
        Ago(days=290),
        "ana",
        "Orchestra night at Casa da Música",
        "date",
        "Casa da Música, Porto",
        ("music",),
        "Sam booked it as a surprise. Beethoven's seventh, and his hand squeezing mine in the"
        " slow movement.",
        (5, "The hand squeeze. I knew what it meant."),
        (4, "Watching you listen with your eyes closed."),
        photos=("city night portrait",),
    ),
    Moment(
        Ago(days=250),
        "sam",
        "A rainy afternoon with a jigsaw",
        "everyday",
        "Our flat, Porto",
        ("rainy days", "home"),
        "A thousand pieces of Lake Bled. We finished at midnight and one piece was missing."
        " It was under the cat.",
        (4, "A whole day with nowhere to be."),
        (4, "Finding the piece under the cat."),
        photos=("home day portrait",),
    ),
    Moment(
        Ago(days=210),
        "ana",
        "Celebrating Ana's new job",
        "date",
        "A tasca in Bonfim",
        ("work", "celebration"),
        "Sam had told the owner, so they brought out a cake with a candle and the whole tasca"
        " clapped.",
        (5, "That you told everybody, including strangers."),
        (5, "How proud of you I was. Am."),
        (("ana", "The owner still calls me 'a engenheira'."),),
        ("home night landscape",),
    ),
    Moment(
        Ago(days=175),
        "sam",
        "Sam passed his Portuguese exam",
        "everyday",
        "Porto",
        ("portuguese", "learning"),
        "B1, with a distinction in speaking. Ana's mother rang and spoke to me only in"
        " Portuguese for twenty minutes, as a reward.",
        (5, "Hearing you talk to my mother without me translating."),
        (4, "Your mother's idea of a reward."),
        photos=("river_city golden portrait alone",),
    ),
    Moment(
        Ago(days=140),
        "ana",
        "A weekend in Gerês",
        "trip",
        "Peneda-Gerês National Park",
        ("travel", "lake", "outdoors"),
        "Waterfalls, wild horses, and a reservoir so still it looked like a second sky.",
        (5, "The still water, and your quiet next to me."),
        (4, "Wild horses on the road in the morning mist."),
        photos=("lake golden wide", "hills dawn landscape"),
    ),
    Moment(
        Ago(days=110),
        "sam",
        "Our check-in, on the roof this time",
        "ritual",
        "Our roof terrace, Porto",
        ("check-in", "ritual"),
        "The same three questions since 2020, with a better view. What was hard this week:"
        " the new job. What we are looking forward to: the Lisbon weekend.",
        (4, "That we still ask the three questions."),
        (4, "Your honest answers."),
        photos=("city dusk landscape",),
    ),
    Moment(
        Ago(days=80),
        "ana",
        "Visiting Sam's parents in Bath",
        "trip",
        "Bath",
        ("family", "travel"),
        "Sam's dad has started a Portuguese course to keep up with us. He greeted me with"
        " 'bom dia' at six in the evening.",
        (4, "Your dad's 'bom dia'."),
        (4, "Seeing my parents love you as much as I do."),
        photos=("river_city day landscape",),
    ),
    Moment(
        Ago(days=45),
        "ana",
        "Tram 28, again",
        "trip",
        "Lisbon",
        ("travel", "lisbon"),
        "We rode it end to end, like on our first trip. Sam said 'muito prazer' to the driver,"
        " perfectly this time, and we walked to Avó's old street at dusk.",
        (5, "Doing it again, and it meaning even more."),
        (5, "Lisbon at dusk with my wife."),
        (("sam", "Same tram, same seats, different us."),),
        ("city dusk portrait", "city golden landscape"),
        recreates="lisbon",
    ),
    Moment(
        Ago(days=24),
        "sam",
        "A long walk along the Douro",
        "everyday",
        "Ribeira to Foz, Porto",
        ("walks",),
        "Seven kilometres to the sea, talking about whether to get a dog.",
        (4, "The dog conversation."),
        (4, "You, sure about the dog."),
        (("ana", "Her name will be Bartholomew."), ("sam", "She cannot be Bartholomew.")),
        ("river_city dusk wide",),
    ),
    Moment(
        Ago(days=10),
        "ana",
        "Pancakes for dinner",
        "everyday",
        "Our flat, Porto",
        ("breakfast", "home"),
        "A hard day for both of us, so Sam made Sunday pancakes on a weeknight. The first"
        " one burnt.",
        (5, "That you knew exactly what I needed."),
        (4, "The first one burning, as tradition demands."),
        photos=("kitchen night portrait",),
    ),
    Moment(
        Ago(days=3),
        "sam",
        "Dancing in the kitchen to Amália",
        "everyday",
        "Our kitchen, Porto",
        ("music", "home"),
        "The soup was on, Ana put on an old Amália record and pulled me into the middle of the"
        " kitchen. The soup caught a little. Neither of us minded.",
        (5, "Dancing with you in our kitchen."),
        None,
        photos=("kitchen dusk landscape",),
    ),
)

SEASON_OF_MONTH = (
    ("winter",) * 2 + ("spring",) * 3 + ("summer",) * 4 + ("autumn",) * 2 + ("winter",)
)
MILESTONES = (
    MilestoneDraft("first_date", TOGETHER_SINCE),
    MilestoneDraft("wedding", date(2023, 9, 16)),
    MilestoneDraft("custom", date(2024, 3, 2), label="Moved to Porto"),
)


@dataclass(frozen=True)
class DemoCouple:
    email_a: str
    email_b: str
    password: str
    created: bool


@dataclass
class _Telling:
    """What the story needs while it is told: the two of them, and the memories to link."""

    storage: Storage
    timeline_id: UUID
    people: dict[str, User]
    now: datetime
    # The photos, painted in story order on another thread while the memories are written.
    pictures: Iterator[Future[bytes]]
    keyed: dict[str, Memory] = field(default_factory=dict)


async def create_demo(storage: Storage, *, now: datetime, seed: int = 7) -> DemoCouple:
    """The demo couple, their timeline and story; does nothing if they exist already."""
    if await account_with_email(ANA) is not None:
        return DemoCouple(ANA, SAM, PASSWORD, created=False)
    start = datetime.combine(TOGETHER_SINCE, time(22), now.tzinfo)
    ana = await sign_up(ANA, PASSWORD, "Ana", "Europe/Lisbon", now=start)
    sam = await sign_up(SAM, PASSWORD, "Sam", "Europe/London", now=start)
    timeline = await create_timeline(ana, "Ana & Sam", TOGETHER_SINCE, now=start)
    invite = await create_invite(ana, timeline.id, now=start)
    await accept_invite(sam, invite.token, now=start)
    for draft in MILESTONES:
        if draft.occurred_on <= now.date():
            await add_milestone(ana, timeline.id, draft, now=now)
    told = sorted(
        (day, n, moment) for n, moment in enumerate(STORY) if (day := day_of(moment, now))
    )
    scenes = [_scene(photo, day) for day, _, moment in told for photo in moment.photos]
    with ThreadPoolExecutor(max_workers=1) as painter:
        pictures = iter(
            [painter.submit(paint, scene, seed * 1000 + n) for n, scene in enumerate(scenes)]
        )
        telling = _Telling(storage, timeline.id, {"ana": ana, "sam": sam}, now, pictures)
        for day, _, moment in told:
            await _tell(telling, moment, day)
    return DemoCouple(ANA, SAM, PASSWORD, created=True)


def day_of(moment: Moment, now: datetime) -> date | None:
    """The day a moment happened, or None when the dated story has not got there yet by
    `now` (it is then told by the part relative to today)."""
    today = now.date()
    if isinstance(moment.on, Ago):
        if moment.on.years:
            return in_year(today, today.year - moment.on.years)
        return today - timedelta(days=moment.on.days)
    return moment.on if moment.on < today - RECENT else None


async def _tell(telling: _Telling, moment: Moment, day: date) -> None:
    author = telling.people[moment.by]
    partner = telling.people["sam" if moment.by == "ana" else "ana"]
    # Written that evening; the dated story's memories as if kept from the start.
    written = min(datetime.combine(day, time(21), telling.now.tzinfo), telling.now)
    memory = await create_memory(
        author,
        telling.timeline_id,
        MemoryDraft(
            title=moment.title,
            occurred_on=day,
            date_precision=moment.precision,
            kind=moment.kind,
            place=moment.place,
            tags=list(moment.tags),
            body=moment.story,
        ),
        now=written,
        announce=False,
    )
    for name, felt in (("ana", moment.ana), ("sam", moment.sam)):
        if felt is not None:
            later = written + timedelta(minutes=5 if name == moment.by else 50)
            await set_connection(
                telling.people[name], memory.id, *felt, now=min(later, telling.now), announce=False
            )
    for n, (name, text) in enumerate(moment.replies):
        said = min(written + timedelta(hours=1 + n), telling.now)
        await add_reply(telling.people[name], memory.id, text, now=said, announce=False)
    for _ in moment.photos:
        picture = await asyncio.wrap_future(next(telling.pictures))
        await add_photo(author, memory.id, io.BytesIO(picture), telling.storage, now=written)
    if moment.key:
        telling.keyed[moment.key] = memory
    if moment.recreates:
        await _recreation(telling, telling.keyed[moment.recreates], memory, partner, day)


async def _recreation(
    telling: _Telling, original: Memory, recreation: Memory, partner: User, day: date
) -> None:
    """Link a recreation as the app does: the original was the daily pick a week before,
    and the partner answered "we did it" with the new memory."""
    picked = day - timedelta(days=7)
    suggestion = await record_pick(
        partner,
        original.id,
        picked,
        now=datetime.combine(picked, time(7), telling.now.tzinfo),
        prompt="Could you do it again, the two of you?",
    )
    answered = min(datetime.combine(day, time(22), telling.now.tzinfo), telling.now)
    await answer(partner, suggestion.id, "done", now=answered, memory_id=recreation.id)


def _scene(photo: str, day: date) -> Scene:
    """A photo's scene from its "setting light shape [alone|empty]", in the season of `day`."""
    setting, light, shape, *who = photo.split()
    people = {"alone": 1, "empty": 0}.get(who[0], 2) if who else 2
    # Summer lasts through September in Portugal; autumn is October and November.
    season = SEASON_OF_MONTH[day.month - 1]
    return Scene(setting, light, season, shape, people)
