"""pirdoc: publish post-incident reviews as Markdown, DOCX, PDF and Confluence storage format.

A review is written once, as data (`Review`, read with `load`/`loads`), checked with `check`,
and rendered to every format from that one object. Everything not listed in ``__all__`` is
private.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from pirdoc._version import __version__
from pirdoc.errors import (
    PirdocError,
    PirdocWarning,
    RenderError,
    ReviewLoadError,
    ReviewProblemsError,
    UnknownRendererError,
)

if TYPE_CHECKING:
    from pirdoc.api import FormatInfo, formats, render, write
    from pirdoc.audience import AudienceError, RedactionEntry, RedactionReport, redact
    from pirdoc.checks import Problem, check
    from pirdoc.importers import from_markdown
    from pirdoc.layout import layout
    from pirdoc.loader import load
    from pirdoc.model import (
        DEFAULT_RESOLVE_TARGETS,
        NOTE_SECTIONS,
        ActionItem,
        ActionStatus,
        Approval,
        Aspect,
        Attachments,
        BusinessImpact,
        CadenceStep,
        CheckItem,
        Communication,
        ContributingFactor,
        CostItem,
        CostTotal,
        DataImpact,
        Detail,
        ExecutiveSummary,
        ExternalCommunication,
        FollowUp,
        Horizon,
        ImpactAssessment,
        ImpactMetrics,
        Issue,
        Lesson,
        LessonsLearned,
        Level,
        Links,
        Metrics,
        Milestone,
        NamedLink,
        Note,
        Participant,
        Person,
        Phase,
        PreventionMeasures,
        RelatedIncident,
        ResponseMetric,
        ResponseTargets,
        Review,
        ReviewMeeting,
        RevisionEntry,
        RootCauseAnalysis,
        ServicesAffected,
        Severity,
        StakeholderCommunication,
        StatedMetrics,
        Status,
        StatusUpdate,
        Tag,
        TagKind,
        TechnicalImpact,
        TimelineEvent,
        UserImpact,
        Visibility,
        WhatWentWell,
        WhatWentWrong,
        Why,
        is_markdown,
    )
    from pirdoc.publish import publish
    from pirdoc.serde import dump, dumps, from_dict, loads, to_dict
    from pirdoc.values import Duration, Instant, Precision, Qualifier, Quantity

# Imported on first use (PEP 562): reading and writing review files needs PyYAML, cattrs and
# tomli-w; together they cost more than the rest of `import pirdoc` (see docs/performance.md).
# Rendering needs markdown-it-py for narrative fields; it too is imported when first asked for.
_MODEL_NAMES = (
    "DEFAULT_RESOLVE_TARGETS",
    "ActionItem",
    "ActionStatus",
    "Approval",
    "Aspect",
    "Attachments",
    "AudienceError",
    "BusinessImpact",
    "CadenceStep",
    "CheckItem",
    "Communication",
    "ContributingFactor",
    "DataImpact",
    "Detail",
    "NOTE_SECTIONS",
    "Note",
    "Detail",
    "ExecutiveSummary",
    "ExternalCommunication",
    "FollowUp",
    "Horizon",
    "ImpactAssessment",
    "ImpactMetrics",
    "Issue",
    "Lesson",
    "LessonsLearned",
    "Level",
    "Links",
    "Metrics",
    "Milestone",
    "NOTE_SECTIONS",
    "NamedLink",
    "Note",
    "Person",
    "Phase",
    "PreventionMeasures",
    "ResponseMetric",
    "ResponseTargets",
    "Review",
    "ReviewMeeting",
    "RevisionEntry",
    "ReviewProblemsError",
    "RootCauseAnalysis",
    "ServicesAffected",
    "Severity",
    "StakeholderCommunication",
    "StatedMetrics",
    "Status",
    "StatusUpdate",
    "TechnicalImpact",
    "TimelineEvent",
    "UserImpact",
    "Visibility",
    "WhatWentWell",
    "WhatWentWrong",
    "Why",
    "is_markdown",
    "CostItem",
    "CostTotal",
    "Participant",
    "RelatedIncident",
    "Tag",
    "TagKind",
)
# The model and the checks are imported on first use too, so that `import pirdoc` (and the CLI's
# --help and --version) stay cheap; building the model's 39 attrs classes takes about 16 ms.
_LAZY = {
    **dict.fromkeys(_MODEL_NAMES, "pirdoc.model"),
    "Problem": "pirdoc.checks",
    "check": "pirdoc.checks",
    "dump": "pirdoc.serde",
    "dumps": "pirdoc.serde",
    "load": "pirdoc.loader",
    "loads": "pirdoc.serde",
    "from_dict": "pirdoc.serde",
    "to_dict": "pirdoc.serde",
    "FormatInfo": "pirdoc.api",
    "formats": "pirdoc.api",
    "render": "pirdoc.api",
    "write": "pirdoc.api",
    "layout": "pirdoc.layout",
    **dict.fromkeys(("AudienceError", "RedactionEntry", "RedactionReport", "redact"), "pirdoc.audience"),
    **dict.fromkeys(("Duration", "Instant", "Precision", "Qualifier", "Quantity"), "pirdoc.values"),
    "from_markdown": "pirdoc.importers",
    "publish": "pirdoc.publish",  # and with it httpx: only when publishing
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package's module type: keeps ``pirdoc.layout`` and ``pirdoc.publish`` the functions.

    Each function shares its name with a submodule (``pirdoc.layout``, ``pirdoc.publish``), and
    importing a submodule sets it as an attribute of the package, which would shadow the function
    from then on (and ``pirdoc.api`` imports layout, so any `render` would)."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("layout", "publish") and isinstance(value, types.ModuleType):
            value = getattr(value, name)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


__all__ = [
    "ActionItem",
    "ActionStatus",
    "Approval",
    "Aspect",
    "Attachments",
    "AudienceError",
    "BusinessImpact",
    "CadenceStep",
    "CheckItem",
    "Communication",
    "ContributingFactor",
    "CostItem",
    "CostTotal",
    "DEFAULT_RESOLVE_TARGETS",
    "DataImpact",
    "Detail",
    "Duration",
    "ExecutiveSummary",
    "ExternalCommunication",
    "FollowUp",
    "FormatInfo",
    "Horizon",
    "ImpactAssessment",
    "ImpactMetrics",
    "Instant",
    "Issue",
    "Lesson",
    "LessonsLearned",
    "Level",
    "Links",
    "Metrics",
    "Milestone",
    "NOTE_SECTIONS",
    "NamedLink",
    "Note",
    "Participant",
    "Person",
    "Phase",
    "PirdocError",
    "PirdocWarning",
    "Precision",
    "PreventionMeasures",
    "Problem",
    "Qualifier",
    "Quantity",
    "RedactionEntry",
    "RedactionReport",
    "RelatedIncident",
    "RenderError",
    "ResponseMetric",
    "ResponseTargets",
    "Review",
    "ReviewLoadError",
    "ReviewMeeting",
    "ReviewProblemsError",
    "RevisionEntry",
    "RootCauseAnalysis",
    "ServicesAffected",
    "Severity",
    "StakeholderCommunication",
    "StatedMetrics",
    "Status",
    "StatusUpdate",
    "Tag",
    "TagKind",
    "TechnicalImpact",
    "TimelineEvent",
    "UnknownRendererError",
    "UserImpact",
    "Visibility",
    "WhatWentWell",
    "WhatWentWrong",
    "Why",
    "__version__",
    "check",
    "dump",
    "dumps",
    "formats",
    "from_dict",
    "from_markdown",
    "is_markdown",
    "layout",
    "load",
    "loads",
    "publish",
    "redact",
    "render",
    "to_dict",
    "write",
]
