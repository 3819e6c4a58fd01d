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
only for what they run.

Six of the seven names are also modules of this package (kvgraph/parse.py is the parser,
kvgraph/load.py the loader, ...), and Python binds a submodule to its package's attribute
whenever it is imported, whoever imports it. So rather than a function that a later import
would replace, `kvgraph.load` is the module kvgraph/load.py made callable: calling it calls
kvgraph.api.load, and `from kvgraph import load` still gives the module, for the code that
uses it as one. `from kvgraph.api import load` gives the function itself.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .api import convert, load, parse, publish, query, reconcile, validate

__all__ = ["parse", "convert", "validate", "query", "load", "publish", "reconcile"]


def _api(name: str) -> Any:
    return getattr(importlib.import_module("kvgraph.api"), name)


class _Command(types.ModuleType):
    """A submodule that shares its name with an API function: calling it calls the function."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _api(self.__name__.rpartition(".")[2])(*args, **kwargs)

    @property
    def __signature__(self) -> Any:
        """The function's signature, for inspect.signature() and the help of IPython and editors."""
        import inspect

        return inspect.signature(_api(self.__name__.rpartition(".")[2]))


class _Package(types.ModuleType):
    """This package: a submodule named like a command becomes callable as it is bound here."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in __all__ and isinstance(value, types.ModuleType) and value.__name__ == f"{__name__}.{name}":
            value.__class__ = _Command
        super().__setattr__(name, value)


def __getattr__(name: str) -> Any:
    """The API, imported when first used: `kvgraph.convert`, and the command modules not imported yet."""
    if name == "convert":
        return _api(name)
    if name in __all__:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


sys.modules[__name__].__class__ = _Package
