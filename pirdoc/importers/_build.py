"""The builder: what the reader collected, made into a Review (times placed, defaults resolved,
derived values compared with what was written)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import attrs

from pirdoc import model as m
from pirdoc import values as pv
from pirdoc.importers import _values as v
from pirdoc.importers._control import parse_revision
from pirdoc.importers._impact import ImpactReader
from pirdoc.importers._reader import EventSpec
from pirdoc.importers._source import Field
from pirdoc.importers._times import _field_instant, place_all, start_and_end

__all__ = ["Builder"]

_SECTION_ORDER = {key: i for i, key in enumerate(m.NOTE_SECTIONS)}
_SEVERITY = re.compile(r"^(?:SEV|S|P)[-\s]?([1-4])$", re.IGNORECASE)


class Builder:
    """Turns what the reader collected into a Review, placing times and resolving defaults."""

    def __init__(self, reader: ImpactReader) -> None:
        self.r = reader
        self.values = reader.values
        self.started: pv.Instant | None = None
        self.ended: pv.Instant | None = None
        self.header_date: dt.date | None = None
        self.conflicts = 0
        """How many Basic Information values that differ from the header lead the details."""

    def head(self, key: str) -> Field | None:
        return self.r.head.get(key)

    def both(self, key: str, label: str) -> Field | None:
        """A header value, else the Basic Information row; when both are written and differ, the
        table's is kept as an extra row (``label``) and reported."""
        head = self.r.head.get(key)
        row = self.r.basic.get(key)
        head_text = self.r.text(head) if head is not None else None
        row_text = self.r.text(row) if row is not None else None
        if head is not None and head_text is not None:
            if row is not None and row_text is not None and row_text != head_text:
                self.r.details.insert(self.conflicts, m.Detail(label=label, value=row.source))
                self.conflicts += 1
                self.r.problem(
                    row.line,
                    f"Basic Information: {label} {row_text!r} differs from the header's {head_text!r}; "
                    f"both are kept (the table's as an extra {label!r} row)",
                )
            return head
        return row if row_text is not None else None

    def platform(self) -> dict[str, Any]:
        """The platform fields read from their Basic Information rows (docs/platforms.md)."""
        found: dict[str, Any] = {}
        for name in ("priority", "incident_type"):
            cell = self.r.platform.get(name)
            if cell is not None:
                found[name] = self.r.text(cell)
        day = self.started.date if self.started is not None else self.header_date
        for name, label in (("reported_at", "Reported At"), ("stable_at", "Stable At"), ("closed_at", "Closed At")):
            cell = self.r.platform.get(name)
            if cell is not None:
                found[name], _ = _field_instant(self.r, cell, label, day)
        found["tags"] = tuple(self.r.platform.get("tags", ()))
        return found

    def review(self) -> m.Review:
        r = self.r
        incident_id_field = self.both("incident id", "Incident ID")
        incident_id = r.src.plain(incident_id_field.source) if incident_id_field else ""
        if not incident_id:
            r.problem(0, "no incident ID (write it as '**Incident ID:** INC-2026-0042')", "error")
        severity = self.severity()
        date_field = self.head("date")
        header_date = r.scalar(date_field, v.parse_date, "Date", key="header") if date_field else None
        self.header_date = header_date
        started_at, ended_at = start_and_end(r, header_date)
        self.started, self.ended = started_at, ended_at
        status = self.status()
        title = r.title
        if not title:
            r.problem(1, "no title after the heading (write '# Post-Incident Review: Checkout outage')", "error")
        classification_field = self.head("classification")
        classification = r.text(classification_field) if classification_field else None
        values = self.values
        start_day = started_at.date if started_at is not None else None
        review = m.Review(
            incident_id=incident_id,
            title=title or "",
            severity=severity,
            started_at=started_at,
            ended_at=ended_at,
            date=header_date if header_date != start_day else None,
            stated_duration=self.stated_duration(),
            status=status,
            classification=classification or "Confidential",
            summary=m.ExecutiveSummary(**values.get("summary", {})),
            incident_commander=self.person_row("incident commander"),
            technical_lead=self.person_row("technical lead"),
            other_roles=tuple(r.other_roles),
            services=m.ServicesAffected(**values["services"]) if "services" in values else m.ServicesAffected(),
            impact=self.impact(),
            timeline=self.timeline(),
            root_cause=m.RootCauseAnalysis(
                **values.get("root_cause", {}),
                contributing_factors=tuple(
                    m.ContributingFactor(title=t, description=f["description"], impact=f["impact"])
                    for t, f in values.get("factors", [])
                ),
                five_whys=tuple(values.get("five_whys", ())),
            ),
            went_well=m.WhatWentWell(
                aspects=tuple(
                    m.Aspect(title=t, what=f["what"], why_it_helped=f["why it helped"])
                    for t, f in values.get("aspects", [])
                ),
                effective_procedures=tuple(values.get("procedures", ())),
            ),
            went_wrong=m.WhatWentWrong(
                issues=tuple(self.issue(t, f) for t, f in values.get("issues", [])),
                procedure_gaps=tuple(values.get("gaps", ())),
            ),
            action_items=tuple(r.actions),
            lessons=m.LessonsLearned(**{k: tuple(x) for k, x in values.get("lessons", {}).items()}),
            prevention=m.PreventionMeasures(**{k: tuple(x) for k, x in values.get("prevention", {}).items()}),
            communication=self.communication(),
            metrics=m.Metrics(),
            attachments=self.attachments(),
            review_meeting=self.review_meeting(),
            follow_up=self.follow_up(),
            last_updated=self.status_value("last updated", v.parse_date),
            next_review=self.status_value("next review", v.parse_date),
            owner=self.owner(),
            **self.platform(),
        )
        # What depends on the review read so far, in one more review (each one made checks every field)
        metrics = self.metrics(review)
        impact, metrics = self.users_affected_row(review.impact, metrics)
        impact, summary = self.summary_in_own_words(review, impact)
        approvals: dict[str, Any] = {"approvals": tuple(values["approvals"])} if "approvals" in values else {}
        return attrs.evolve(
            review, **approvals, metrics=metrics, impact=impact, summary=summary, **self.revision_fields(),
            details=tuple(r.details), notes=self.notes(),
        )

    def revision_fields(self) -> dict[str, Any]:
        """The revision history, and the header's revision unless it says no more than the
        history (or the default 1) does."""
        history = tuple(self.values.get("revision_history", ()))
        field = self.head("revision")
        stated = self.r.scalar(field, parse_revision, "Revision", key="header") if field is not None else None
        implied = history[-1].version if history else 1
        return {"revision_history": history, "revision": stated if stated is not None and stated != implied else None}

    def notes(self) -> tuple[m.Note, ...]:
        """The notes in document order; within a section, those without a title first (a note
        without a title after a titled one would read back as part of it)."""
        kept = self.r.notes
        order = sorted(
            range(len(kept)),
            key=lambda i: (_SECTION_ORDER.get(kept[i].key, 0), kept[i].top_level, kept[i].title is not None, i),
        )
        return tuple(
            m.Note(section=kept[i].key, title=kept[i].title, body=kept[i].body, top_level=kept[i].top_level)
            for i in order
        )

    # -- header values

    def severity(self) -> m.Severity | None:
        field = self.both("severity", "Severity")
        if field is not None:
            text = self.r.src.plain(field.source)
            match = _SEVERITY.match(text.replace(" ", "") if len(text) < 8 else text)
            if match:
                return m.Severity(f"SEV-{match[1]}")
            self.r.details.append(m.Detail(label="Severity", value=field.source))
            self.r.problem(
                field.line,
                f"Severity: {text!r} is not SEV-1 to SEV-4; the severity is not recorded, "
                "the text kept as written as an extra 'Severity' row",
            )
        else:
            self.r.problem(0, "no severity (write it as '**Severity:** SEV-2'); the severity is not recorded")
        return None

    def status(self) -> m.Status:
        field = self.head("status")
        block = self.values.get("status-block", {}).get("document status")
        status = None
        for candidate, key in ((field, "header"), (block, "follow_up")):
            if candidate is not None and status is None:
                status = self.r.scalar(candidate, lambda t: v.parse_enum(m.Status, t), "Status", key=key)
        return status or m.Status.DRAFT

    def status_value(self, key: str, parse: Callable[[str], Any]) -> Any:
        field = self.values.get("status-block", {}).get(key)
        return self.r.scalar(field, parse, field.label, key="follow_up") if field is not None else None

    def owner(self) -> m.Person | None:
        field = self.values.get("status-block", {}).get("owner")
        return self.r.person(field) if field is not None else None

    def person_row(self, key: str) -> m.Person | None:
        field = self.r.basic.get(key)
        return self.r.person(field) if field is not None else None

    # -- times

    def timeline(self) -> tuple[m.TimelineEvent, ...]:
        specs = self.r.events
        times = place_all(self.r, specs, self.started, self.ended, self.header_date, "Timeline")
        return tuple(
            m.TimelineEvent(
                at=at, title=spec.title, phase=spec.phase or m.Phase.DETECTION, kind=spec.kind, details=spec.details
            )
            for spec, at in zip(specs, times, strict=True)
        )

    def instant(self, line: int, text: str, what: str) -> pv.Instant:
        """A single time (stakeholder briefing, recovery point): on the start's day when it has
        no date of its own; the text kept when it cannot be read."""
        spec = EventSpec(text, "", line)
        placed = place_all(self.r, [spec], self.started, self.ended, self.header_date, what)[0]
        assert placed is not None
        return placed

    # -- sections

    def impact(self) -> m.ImpactAssessment:
        values = self.values
        return m.ImpactAssessment(
            user=m.UserImpact(**values["user"]) if "user" in values else m.UserImpact(),
            business=m.BusinessImpact(**values["business"]) if "business" in values else m.BusinessImpact(),
            technical=m.TechnicalImpact(**values["technical"]) if "technical" in values else m.TechnicalImpact(),
        )

    def issue(self, title: str, fields: dict[str, str | None]) -> m.Issue:
        severity = None
        if fields["severity"]:
            text = self.r.src.plain(fields["severity"])
            try:
                severity = v.parse_enum(m.Level, text)
            except ValueError as exc:
                kept = Field(f"Severity of {self.r.src.plain(title)}", fields["severity"], 0)
                self.r.keep_field(kept, "Issues Identified", f"severity {exc}", key="went_wrong")
        return m.Issue(title=title, what=fields["what"], impact=fields["impact"], severity=severity)

    def communication(self) -> m.Communication:
        values = dict(self.values.get("communication", {}))
        specs = self.r.updates
        times = place_all(self.r, specs, self.started, self.ended, self.header_date, "Internal Communication")
        updates = [m.StatusUpdate(at=at, message=spec.title) for spec, at in zip(specs, times, strict=True)]
        external = values.pop("external", {})
        stakeholders = {
            name: self.instant(line, text, name.replace("_", " ").capitalize())
            for name, (line, text) in values.pop("stakeholders", {}).items()
        }
        return m.Communication(
            internal_timeline=tuple(updates),
            channels=tuple(values.pop("channels", ())),
            external=m.ExternalCommunication(**external),
            stakeholders=m.StakeholderCommunication(**stakeholders),
            **values,
        )

    def metrics(self, review: m.Review) -> m.Metrics:
        r = self.r
        values = self.values
        targets = {k: t for k, t in values.get("targets", {}).items() if t is not None}
        if review.severity is not None and targets.get("resolve") == m.DEFAULT_RESOLVE_TARGETS[review.severity]:
            del targets["resolve"]
        stated = {f"time_to_{k}": s for k, s in values.get("stated", {}).items() if s is not None}
        if not r.stated_seen:
            # what the timeline gives, which the review's targets do not change
            derived = {metric.name: metric.actual for metric in review.response_metrics}
            for name, field in values.get("actuals", {}).items():
                text = r.text(field)
                if text is None or _only_placeholder_actual(text):
                    continue
                value = v.signed_duration(text)
                if not _same_duration(value, derived.get(f"Time to {name.capitalize()}")):
                    stated[f"time_to_{name}"] = value
        rows: dict[str, Field] = values.get("impact_metrics", {})
        downtime = r.optional(rows, "total downtime", v.signed_duration, "Total Downtime")
        if downtime is not None and downtime.text is None and downtime == review.duration:
            downtime = None
        recovery_field = rows.get("recovery point")
        recovery_text = r.text(recovery_field) if recovery_field is not None else None
        recovery = None
        if recovery_field is not None and recovery_text is not None:
            recovery = self.instant(recovery_field.line, recovery_text, "Recovery Point")
        return m.Metrics(
            targets=m.ResponseTargets(**targets),
            stated=m.StatedMetrics(**stated),
            impact=m.ImpactMetrics(
                total_downtime=downtime,
                failed_requests=r.optional(rows, "failed requests", pv.parse_quantity, "Failed Requests"),
                data_loss_amount=r.markdown(rows["data loss"]) if "data loss" in rows else None,
                recovery_point=recovery,
                details=tuple(values.get("impact_details", ())),
            ),
        )

    def attachments(self) -> m.Attachments:
        values = self.values
        links = values.get("links", {})
        link_values = m.Links(
            incident_ticket=links.get("incident_ticket"),
            monitoring_dashboard=links.get("monitoring_dashboard"),
            related_incidents=tuple(links.get("related", ())),
            action_item_tracker=links.get("action_item_tracker"),
            other=tuple(links.get("other", ())),
        )
        if "supporting_documents" in values:
            return m.Attachments(supporting_documents=tuple(values["supporting_documents"]), links=link_values)
        return m.Attachments(links=link_values)

    def review_meeting(self) -> m.ReviewMeeting:
        meeting = self.values.get("review_meeting", {})
        return m.ReviewMeeting(
            date=meeting.get("date"),
            attendees=tuple(meeting.get("attendees", ())),
            discussion_points=tuple(meeting.get("discussion_points", ())),
        )

    def follow_up(self) -> m.FollowUp:
        values = self.values.get("follow_up", {})
        follow_up = m.FollowUp(next_review_date=values.get("next_review_date"))
        if "cadence" in values:
            follow_up = attrs.evolve(follow_up, cadence=tuple(values["cadence"]))
        if "knowledge_sharing" in values:
            follow_up = attrs.evolve(follow_up, knowledge_sharing=tuple(values["knowledge_sharing"]))
        return follow_up

    # -- the executive summary's impact bullets

    def stated_duration(self) -> pv.Duration | None:
        """Basic Information's Duration, when it says more than End minus Start."""
        field = self.r.basic.get("duration")
        text = self.r.text(field) if field is not None else None
        if text is None:
            return None
        stated = v.signed_duration(text)
        started, ended = self.started, self.ended
        derived = pv.between(started, ended)
        return None if _says_no_more(stated, derived) else stated

    def summary_in_own_words(self, review: m.Review, impact: m.ImpactAssessment) -> tuple[
        m.ImpactAssessment, m.ExecutiveSummary
    ]:
        """The summary's Duration, Affected users, Services impacted and Data loss repeat the
        incident details (``impact`` is the review's, as the Impact Metrics left it); what says
        more than them is kept as the summary's own words. Data loss fills in the Impact
        Assessment's when that was left empty."""
        r = self.r
        own: dict[str, Any] = {}
        duration = r.summary_impact.get("duration")
        text = r.text(duration) if duration is not None else None
        if duration is not None and text is not None:
            stated = v.signed_duration(text)
            derived = review.shown_duration
            if not _says_no_more(stated, derived):
                own["duration"] = stated
                if derived is not None and derived.value is not None and stated.value not in (None, derived.value):
                    r.problem(
                        duration.line,
                        f"Executive Summary: Duration {text!r} differs from the incident's duration; "
                        "both are kept (the summary shows its own)",
                    )
        derived_text = {
            "affected users": _affected_text(impact.user),
            "services impacted": ", ".join(review.services.names),
        }
        for key, field_name in (("affected users", "affected_users"), ("services impacted", "services_impacted")):
            field = r.summary_impact.get(key)
            if field is not None and r.text(field) is not None and r.src.plain(field.source) != derived_text[key]:
                own[field_name] = field.source
        technical = impact.technical
        loss = r.summary_impact.get("data loss")
        if loss is not None and r.text(loss) is not None:
            stated_loss = r.data_impact(loss)
            if technical.data_loss == m.DataImpact():
                technical = attrs.evolve(technical, data_loss=stated_loss)
            elif stated_loss != technical.data_loss:
                own["data_loss"] = loss.source
        return attrs.evolve(impact, technical=technical), attrs.evolve(review.summary, **own)

    def users_affected_row(self, impact: m.ImpactAssessment, metrics: m.Metrics) -> tuple[
        m.ImpactAssessment, m.Metrics
    ]:
        """The Impact Metrics table's Users Affected repeats the user impact: it fills in a count
        left empty there, and one that differs is kept as an extra row."""
        rows: dict[str, Field] = self.values.get("impact_metrics", {})
        field = rows.get("users affected")
        text = self.r.text(field) if field is not None else None
        if field is None or text is None:
            return impact, metrics
        user = impact.user
        if user.total_users_affected is None:
            user = attrs.evolve(user, total_users_affected=pv.parse_quantity(text))
            return attrs.evolve(impact, user=user), metrics
        if text == pv.format_quantity(user.total_users_affected):
            return impact, metrics
        extra = m.Detail(label="Users Affected", value=field.source)
        self.r.problem(field.line, "Impact Metrics: Users Affected differs from the user impact; both are kept")
        stated = metrics.impact
        return impact, attrs.evolve(metrics, impact=attrs.evolve(stated, details=(extra, *stated.details)))


def _says_no_more(stated: pv.Duration, derived: pv.Duration | None) -> bool:
    """A written duration that is what pirdoc would write for ``derived`` (its own, read back)."""
    if derived is None or stated.value != derived.value or stated.approximate != derived.approximate:
        return False
    if stated.text is None:
        return True
    return v.signed_duration(stated.text.removeprefix("~")).text is None


def _affected_text(user: m.UserImpact) -> str | None:
    """The summary's Affected users as pirdoc writes it from the user impact."""
    parts = []
    if user.total_users_affected is not None:
        parts.append(pv.format_quantity(user.total_users_affected))
    if user.percentage_of_user_base is not None:
        share = f"{pv.format_quantity(user.percentage_of_user_base, suffix='%')} of users"
        parts.append(f"({share})" if parts else share)
    return " ".join(parts) if parts else None


def _same_duration(stated: pv.Duration, derived: pv.Duration | None) -> bool:
    """A hand-written Actual that says what the timeline gives (pirdoc's own, read back)."""
    return derived is not None and stated.value == derived.value and stated.approximate == derived.approximate


def _only_placeholder_actual(text: str) -> bool:
    return bool(re.fullmatch(r"\[?X (?:min|hours?)\]?", text.strip(), re.IGNORECASE))
