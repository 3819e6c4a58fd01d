"""kvgraph: Dutch parliamentary written questions (Kamervragen) as a linked-data graph.

The Python API is one function per command, with the command's options as keywords
(kvgraph.api says more; README.md has an example per command):

    import kvgraph
    records = [r.record for r in kvgraph.parse("examples")]
    kvgraph.convert(["examples"], "out.ttl", format="turtle")
    kvgraph.validate("out.ttl").conforms
    for row in kvgraph.query("queries/people.rq", "examples"): ...
    kvgraph.load("examples", store="kv.db"); kvgraph.publish("examples", "release", date="2024-06-01")
    kvgraph.reconcile("examples").rows

Nothing is imported until it is used, so `import kvgraph`, and the `kvgraph` command, pay
only for what they run. No module of the package shares a name with a function of the API
(the parser is kvgraph.parser, the loader kvgraph.loader, ...), so importing one never
replaces a function.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import convert, load, parse, publish, query, reconcile, validate

__all__ = ["parse", "convert", "validate", "query", "load", "publish", "reconcile"]


def __getattr__(name: str) -> Any:
    """The API, imported when first used."""
    if name in __all__:
        return getattr(importlib.import_module("kvgraph.api"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
