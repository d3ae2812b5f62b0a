"""YAML for review files: PyYAML set up to keep what a review means (loaded only when a review
is read or written as YAML; rendering a filled template never needs it)."""

from __future__ import annotations

import re
from typing import Any

import yaml

from pirdoc.errors import ReviewLoadError

__all__ = ["Loader", "dump", "parse"]


def _no_timestamp_loader(base: type[Any] = yaml.SafeLoader) -> type[yaml.SafeLoader]:
    """A SafeLoader that leaves timestamps as text (so we see the offset, or its absence), reads
    only true/false as booleans (not yes/no/on/off), and refuses duplicate keys."""

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [
            (tag, regexp)
            for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
        ]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool",
        re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
        list("tTfF"),
    )

    def construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
        loader.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) and key is not None:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key must be text", key_node.start_mark)
            if key in mapping:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            mapping[key] = loader.construct_object(value_node, deep=True)
        return mapping

    Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)
    return Loader


Loader = _no_timestamp_loader()
"""The loader for review files (timestamps stay text)."""
# The same loader on libyaml's parser (about 8× faster) when PyYAML was built with it. It reads
# valid input only: on any error the pure-Python loader parses again and reports, so messages and
# positions do not depend on how PyYAML was built. Text with a tab goes to the pure-Python loader
# alone: libyaml accepts tabs in places where it rejects them.
_FAST_LOADER = _no_timestamp_loader(yaml.CSafeLoader) if getattr(yaml, "__with_libyaml__", False) else None


class _YamlDumper(yaml.SafeDumper):
    """Writes date-times and dates unquoted: our loader reads them back as text anyway."""


_YamlDumper.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()
}

# PyYAML writes these unescaped in single-quoted and block scalars, then reads them back as line
# breaks (NEL, LS, PS) or drops them (BOM); only the double-quoted style escapes them.
_YAML_ESCAPE_ONLY = re.compile("[\x85\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _YAML_ESCAPE_ONLY.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_YamlDumper.add_representer(str, _represent_str)


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and problem else problem
    text = f"YAML syntax error: {text}"
    if mark is not None:
        return f"line {mark.line + 1}, column {mark.column + 1}: {text}"
    return text


def parse(text: str) -> Any:
    """The data of YAML ``text``; a syntax error or nesting too deep is a `ReviewLoadError`
    (a number too long to read raises ValueError)."""
    if _FAST_LOADER is not None and "\t" not in text:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # a CSafeLoader subclass
        except Exception:
            pass  # reported below, by the pure-Python loader
    try:
        return yaml.load(text, Loader=Loader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise ReviewLoadError([_yaml_error(exc)]) from exc
    except RecursionError as exc:
        raise ReviewLoadError(["YAML input is nested too deeply"]) from exc


def dump(data: Any) -> str:
    """``data`` as YAML, block style, keys in their order."""
    return yaml.dump(data, Dumper=_YamlDumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=100)
