"""The summary, the facts and the analysis: the template's sections from the executive summary
to the root cause and what went well and wrong."""

from __future__ import annotations

from pirdoc import document as d
from pirdoc import model as m
from pirdoc import values as v
from pirdoc._layout_base import Base
from pirdoc._layout_values import (
    _NR,
    ASKS_LABEL,
    BRIEFING_ASKS,
    LEVEL_TONES,
    SEVERITY_TONES,
    FieldValue,
    _amount,
    _bullets,
    _count,
    _data_impact,
    _detail_row,
    _duration,
    _field_bullets,
    _instant,
    _label_only,
    _labelled,
    _md_inline,
    _md_value,
    _narrative,
    _number,
    _person,
    _person_cell,
    _platform_rows,
    _shown_duration,
    _table,
    _text,
    _url,
    _yes_no,
)
from pirdoc.narrative import parse_blocks, parse_inlines


class SummarySections(Base):
    """The summary, the facts and the analysis: the template's sections from the executive summary"""

    def executive_summary(self, *, window: bool = False) -> None:
        """The template's summary; with ``window`` (the briefing) also when it started and ended,
        as written."""
        r = self.review
        user = r.impact.user
        affected: tuple[d.Inline, ...]
        if user.total_users_affected is None and user.percentage_of_user_base is None:
            affected = _NR
        else:
            parts = []
            if user.total_users_affected is not None:
                parts.append(v.format_quantity(user.total_users_affected))
            if user.percentage_of_user_base is not None:
                share = f"{v.format_quantity(user.percentage_of_user_base, suffix='%')} of users"
                parts.append(f"({share})" if parts else share)
            affected = _text(" ".join(parts))
        if r.summary.affected_users:
            affected = parse_inlines(r.summary.affected_users)
        affected = self.short(affected, "impact")
        services = r.services.names
        named = None
        if r.summary.services_impacted:
            named = self.short(parse_inlines(r.summary.services_impacted), "impact")
        elif services:
            named = self.short(_text(", ".join(services)), "impact")
        loss = self.short(parse_inlines(r.summary.data_loss), "impact") if r.summary.data_loss else None
        when: list[tuple[str, FieldValue]] = []
        also: list[tuple[str, FieldValue]] = []
        money: list[tuple[str, FieldValue]] = []
        if window:
            when = [("Started", _instant(r.started_at)), ("Ended", _instant(r.ended_at))]
            stated, summarised = r.shown_duration, r.summary.duration
            if summarised is not None and stated is not None and _shown_duration(stated) != _shown_duration(summarised):
                # the incident details state it in other words: the briefing is all a board reads
                also.append(("Duration (incident details)", _duration(stated)))
            business = r.impact.business
            # the board's exposure in its own words, when it was recorded
            if business.revenue_impact:
                money.append(("Revenue impact", self.short(_md_inline(business.revenue_impact), "impact")))
            if business.regulatory_implications:
                money.append(("Regulatory implications", _text("Yes")))
        impact = _field_bullets(
            [
                *when,
                ("Duration", _duration(r.summary.duration or r.shown_duration)),
                *also,
                ("Affected users", affected),
                ("Services impacted", named or _NR),
                ("Data loss", loss or _data_impact(r.impact.technical.data_loss)),
                *money,
            ]
        )
        self.add(
            d.Callout(  # no title: the section heading right above already says it
                kind="info",
                children=(
                    _labelled("One-line summary:", self.short(_md_inline(r.summary.one_line), "summary")),
                    _label_only("Impact:"),
                    impact,
                    _labelled("Root Cause:", self.short(_md_inline(r.summary.root_cause), "summary")),
                    _labelled("Resolution:", self.short(_md_inline(r.summary.resolution), "summary")),
                    *self._asks(),
                ),
            )
        )

    def _asks(self) -> list[d.Block]:
        """The decisions and help the review asks of leadership, if any: the board's to-do, so
        the briefing has them on its first page (`BRIEFING_ASKS` of them, the rest counted)."""
        asks = self.review.summary.asks
        if not asks:
            return []
        shown = asks[:BRIEFING_ASKS] if self.brief else asks
        blocks: list[d.Block] = [
            _label_only(ASKS_LABEL),
            _bullets((d.Paragraph(children=self.short(parse_inlines(ask), "summary")),) for ask in shown),
        ]
        if len(shown) < len(asks):
            rest = _count(len(asks) - len(shown), "more ask")
            blocks.append(d.Paragraph(children=(d.Text(text=f"and {rest} \u2014 see the full record"),)))
        return blocks

    def warnings(self) -> None:
        technical = self.review.impact.technical
        for title, impact in (("Data loss", technical.data_loss), ("Data corruption", technical.data_corruption)):
            if impact.occurred:
                body = (
                    self.short_blocks(parse_blocks(impact.details), "warning")
                    if impact.details
                    else (d.Paragraph(children=_text(f"{title} occurred.")),)
                )
                self.add(d.Callout(kind="warning", title=title, children=body))
        if self.review.impact.business.sla_breach:
            self.add(
                d.Callout(
                    kind="warning",
                    title="SLA breach",
                    children=(d.Paragraph(children=_text("This incident breached a service-level agreement.")),),
                )
            )

    def basic_information(self) -> None:
        r = self.review
        rows: list[tuple[tuple[d.Inline, ...], tuple[d.Inline, ...]]] = [
            (_text("Incident ID"), _text(r.incident_id)),
            (
                _text("Severity"),
                (d.StatusBadge(label=r.severity.value, tone=SEVERITY_TONES[r.severity]),) if r.severity else _NR,
            ),
            (_text("Start Time"), _instant(r.started_at)),
            (_text("End Time"), _instant(r.ended_at)),
            (_text("Duration"), _duration(r.shown_duration)),
            (_text("Incident Commander"), _person_cell(r.incident_commander)),
            (_text("Technical Lead"), _person_cell(r.technical_lead)),
        ]
        rows.extend((_text(p.role or "Responder"), (_person(p),)) for p in r.other_roles)
        rows.extend(_platform_rows(r))
        rows.extend(_detail_row(detail) for detail in r.details)
        self.heading(2, "Basic Information")
        self.add(_table(("Field", "Value"), rows, "basic-information", (0.35, 0.65)))

    def participants(self) -> None:
        """Who took part in which role and when (shown only when the review records it)."""
        people = self.review.participants
        if not people:
            return
        self.heading(2, "Participants")
        self.add(
            _table(
                ("Role", "Person", "From", "Until"),
                (
                    (_text(p.role), (_person(self._with_account(p.person) or p.person),),
                     _instant(p.since) if p.since else _text("Start"), _instant(p.until) if p.until else _text("End"))
                    for p in people
                ),
                "participants",
                (0.2, 0.3, 0.25, 0.25),
            )
        )

    def costs(self) -> None:
        """The cost items and their sum per currency (shown only when the review records costs)."""
        r = self.review
        if not r.costs:
            return
        self.heading(2, "Costs")
        rows = [
            (_text(c.kind) if c.kind else _NR, _number(c.amount), _text(c.currency) if c.currency else _NR,
             _md_inline(c.description))
            for c in r.costs
        ]
        rows.extend(
            (_text("Total"), _text(_amount(total.amount, total.approximate)),
             _text(total.currency) if total.currency else _NR, _text(_count(total.items, "item")))
            for total in r.cost_totals
        )
        self.add(_table(("Kind", "Amount", "Currency", "Description"), rows, "costs", (0.25, 0.2, 0.15, 0.4)))

    def related_incidents(self) -> None:
        """Related and duplicate incidents (shown only when the review records them)."""
        related = self.review.related_incidents
        if not related:
            return
        self.heading(2, "Related Incidents")
        self.add(
            _table(
                ("ID", "Title", "Relation", "Link"),
                (
                    (_text(i.id), _text(i.title) if i.title else _NR, _text("Duplicate" if i.duplicate else "Related"),
                     _url(i.link) if i.link else _NR)
                    for i in related
                ),
                "related-incidents",
                (0.2, 0.4, 0.15, 0.25),
            )
        )

    def services(self) -> None:
        s = self.review.services
        items = [
            d.ChecklistItem(checked=bool(getattr(s, field)), children=(d.Text(text=label),))
            for field, label in m.ServicesAffected.STANDARD
        ]
        items.extend(
            d.ChecklistItem(checked=True, children=(d.Text(text="Other: "), *parse_inlines(other))) for other in s.other
        )
        if not s.other:
            items.append(d.ChecklistItem(checked=False, children=(d.Text(text="Other"),)))
        self.heading(2, "Services Affected")
        self.add(d.Checklist(items=tuple(items), role="services-affected"))

    def impact(self) -> None:
        i = self.review.impact
        self.heading(2, "Impact Assessment")
        reputation = i.business.reputation_impact
        self.add(
            _label_only("User Impact:"),
            _field_bullets(
                [
                    ("Total users affected", _number(i.user.total_users_affected)),
                    ("Percentage of user base", _number(i.user.percentage_of_user_base, "%")),
                    (
                        "Geographic regions",
                        _text(", ".join(i.user.geographic_regions)) if i.user.geographic_regions else _NR,
                    ),
                    ("User-facing errors", _md_value(i.user.user_facing_errors)),
                ]
            ),
            _label_only("Business Impact:"),
            _field_bullets(
                [
                    ("Revenue impact", _md_value(i.business.revenue_impact)),
                    ("SLA breach", _yes_no(i.business.sla_breach)),
                    (
                        "Reputation impact",
                        (d.StatusBadge(label=reputation.value, tone=LEVEL_TONES[reputation]),) if reputation else _NR,
                    ),
                    ("Regulatory implications", _yes_no(i.business.regulatory_implications)),
                ]
            ),
            _label_only("Technical Impact:"),
            _field_bullets(
                [
                    ("Data loss", _data_impact(i.technical.data_loss)),
                    ("Data corruption", _data_impact(i.technical.data_corruption)),
                    ("Service degradation", _md_value(i.technical.service_degradation)),
                    ("Recovery time", _duration(i.technical.recovery_time)),
                ]
            ),
        )

    def primary_root_cause(self) -> None:
        rc = self.review.root_cause
        self.heading(2, "Primary Root Cause")
        self.add(
            *_narrative("What happened:", rc.what_happened),
            *_narrative("Why it happened:", rc.why_it_happened),
            *_narrative("Why it wasn't caught earlier:", rc.why_not_caught_earlier),
        )

    def contributing_factors(self) -> None:
        self.heading(2, "Contributing Factors")
        self._titled_list(
            [
                (f.title, [("Description", _md_value(f.description)), ("Impact", _md_value(f.impact))])
                for f in self.review.root_cause.contributing_factors
            ]
        )

    def five_whys(self) -> None:
        self.heading(2, "Five Whys Analysis")
        whys = self.review.root_cause.five_whys
        if not whys:
            self._none()
            return
        self.add(
            d.OrderedList(
                items=tuple(
                    (
                        d.Paragraph(children=(d.Strong(children=parse_inlines(w.question)),)),
                        _bullets([(d.Paragraph(children=_md_inline(w.answer)),)]),
                    )
                    for w in whys
                ),
                tight=False,
            )
        )

    def positive_aspects(self) -> None:
        self.heading(2, "Positive Aspects")
        self._titled_list(
            [
                (a.title, [("What", _md_value(a.what)), ("Why it helped", _md_value(a.why_it_helped))])
                for a in self.review.went_well.aspects
            ]
        )

    def effective_procedures(self) -> None:
        self.heading(2, "Effective Procedures")
        self._plain_bullets(self.review.went_well.effective_procedures)

    def issues(self) -> None:
        self.heading(2, "Issues Identified")
        self._titled_list(
            [
                (
                    i.title,
                    [
                        ("What", _md_value(i.what)),
                        ("Impact", _md_value(i.impact)),
                        (
                            "Severity",
                            (d.StatusBadge(label=i.severity.value, tone=LEVEL_TONES[i.severity]),)
                            if i.severity
                            else _NR,
                        ),
                    ],
                )
                for i in self.review.went_wrong.issues
            ]
        )

    def procedure_gaps(self) -> None:
        self.heading(2, "Gaps in Procedures")
        self._plain_bullets(self.review.went_wrong.procedure_gaps)
