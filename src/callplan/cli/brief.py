"""`callplan brief DM`: what to know before you dial, in under a screen."""

from __future__ import annotations

import typer

from callplan.cli import options, output
from callplan.cli.context import runtime
from callplan.cli.render import phone_region, print_brief
from callplan.core import templates


def brief(
    ctx: typer.Context,
    dm: str = options.DM,
    json_: bool = options.JSON,
) -> None:
    """The call brief: who, why now, last time, the current picture, open loops, hooks,
    and an opening line built from your notes."""
    from callplan import services
    from callplan.store import queries

    rt = runtime(ctx)
    words = templates.load(rt.environ)
    with rt.reading() as s:
        target = queries.dms.find_dm(s, ref=dm)
        result = services.briefs.brief_for(s, rt.desk(s), dm=target, words=words)
    if json_:
        output.print_json(services.shapes.brief_json(result))
    else:
        print_brief(result, rt.today, region=phone_region(rt))
