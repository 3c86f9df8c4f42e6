"""Every memory's resurfacing ceiling worked out again, with the key now shaped like the
score (timeline/resurfacing/scoring.py: ceiling): the old key counted one partner's score
alone at 85 % and a reply at half what the score does, so the daily pick's walk read
thousands of memories its bound could not rule out.

The formula is written out here as it stands at this migration, so that later changes to
the scoring module do not change what this migration does."""

from itertools import combinations

from tortoise import migrations
from tortoise.migrations import operations as ops

CLOSENESS, SAID, PER_REPLY, USUAL = 3.2, 0.92, 0.25, 3.0
BATCH = 1000


def _closeness(pair: tuple[int | None, int | None]) -> float:
    known = [score for score in pair if score is not None]
    if len(known) == 2:
        return known[0] * known[1] / 25
    if len(known) == 1:
        return known[0] * (3 * known[0] + USUAL) / 4 / 25
    return USUAL * USUAL / 25


def ceiling(scores: list[int], replies: int) -> float:
    pairings = [(None, None), *((score, None) for score in scores), *combinations(scores, 2)]
    return CLOSENESS * max(_closeness(pair) for pair in pairings) + SAID * min(
        1.0, PER_REPLY * replies
    )


async def work_ceilings_out(apps, schema_editor):
    client = schema_editor.client
    scores: dict[str, list[int]] = {}
    for row in await client.execute_query_dict("SELECT memory_id, score FROM connection"):
        scores.setdefault(str(row["memory_id"]), []).append(row["score"])
    replies = {
        str(row["memory_id"]): row["count"]
        for row in await client.execute_query_dict(
            "SELECT memory_id, COUNT(*) AS count FROM reply GROUP BY memory_id"
        )
    }
    sqlite = client.capabilities.dialect == "sqlite"
    update = (
        "UPDATE memory SET resurface_ceiling = ? WHERE id = ?"
        if sqlite
        else "UPDATE memory SET resurface_ceiling = $1 WHERE id = $2"
    )
    ids = [row["id"] for row in await client.execute_query_dict("SELECT id FROM memory")]
    for start in range(0, len(ids), BATCH):
        await client.execute_many(
            update,
            [
                [ceiling(scores.get(str(i), []), replies.get(str(i), 0)), i]
                for i in ids[start : start + BATCH]
            ],
        )


class Migration(migrations.Migration):
    dependencies = [("models", "0015_timeline_revision")]

    initial = False

    operations = [ops.RunPython(work_ceilings_out)]
