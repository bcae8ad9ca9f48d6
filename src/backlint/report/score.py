"""The backlog health score: 0–100 for the backlog and for each rule family.

The definition (docs/reports.md, "Health score") in one paragraph: every ticket starts healthy
(1.0) and loses a fixed penalty per finding, by severity (error 0.6, warning 0.25, info 0.05),
down to 0. The backlog score is the mean ticket health weighted by priority (the most urgent
rank counts 3, the next 2, every other ticket 1), times 100, rounded half up to a whole number.
A family score is the same figure counting only that family's findings. Findings of the ``run``
family (a rule crashed, a ticket could not be read) describe the run, not the backlog, and do not
count; nor do findings on tickets the report does not list. The arithmetic is exact (fractions),
so the same report always gives the same score, whatever the order of its findings.

Because a ticket can fail several families, the backlog score is lower than the family scores.
``Score.lost`` reconciles them: the points the backlog score lost (100 minus the score), shared
among the families in proportion to the penalties their findings cost each ticket, so the
figures add up to exactly ``100 - overall``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol

from backlint.model import FAMILIES, Finding, Severity

#: Bump when the formula changes, so history can tell scores of different formulas apart.
SCORE_VERSION = 1

#: Health is counted in twentieths so the arithmetic stays in exact, fast integers.
UNIT = 20
#: Penalty per finding in twentieths of a ticket's health: 0.6, 0.25, 0.05.
PENALTY_POINTS: Mapping[Severity, int] = {Severity.ERROR: 12, Severity.WARNING: 5, Severity.INFO: 1}
PENALTY: Mapping[Severity, Fraction] = {s: Fraction(p, UNIT) for s, p in PENALTY_POINTS.items()}

#: Weight of a ticket by priority rank (0 = most urgent); unranked tickets weigh 1.
RANK_WEIGHT: Mapping[int, int] = {0: 3, 1: 2}

#: Families that describe the run itself and never lower the score.
UNSCORED_FAMILIES = frozenset({"run"})

#: (lowest score, word) from best to worst: the band a score falls in.
BANDS: Sequence[tuple[int, str]] = ((90, "healthy"), (75, "fair"), (50, "needs work"), (0, "poor"))


class Scored(Protocol):
    """What the score needs to know about a ticket (TicketSummary has it)."""

    key: str
    priority_rank: int | None


@dataclass(frozen=True, slots=True)
class TicketHealth:
    """One ticket's health (0–1, as an exact fraction), weight and finding counts."""

    key: str
    points: int
    weight: int
    errors: int
    warnings: int
    infos: int

    @property
    def health(self) -> Fraction:
        return Fraction(self.points, UNIT)

    @property
    def percent(self) -> int:
        return round_half_up(self.health * 100)


@dataclass(frozen=True, slots=True)
class Score:
    """The backlog's score, each family's, and every ticket's health."""

    overall: int
    families: Mapping[str, int]
    tickets: Mapping[str, TicketHealth]
    #: Points of the backlog score each family costs; they add up to ``100 - overall``.
    lost: Mapping[str, int] = field(default_factory=dict)

    @property
    def band(self) -> str:
        return band_of(self.overall)

    def worst(self) -> list[TicketHealth]:
        """Tickets with findings, least healthy first (then heavier, more errors, by key)."""
        flagged = [t for t in self.tickets.values() if t.errors + t.warnings + t.infos]
        return sorted(
            flagged, key=lambda t: (t.points, -t.weight, -t.errors, -t.warnings, natural_key(t.key))
        )

    def to_dict(self) -> dict[str, object]:
        """The ``score`` key of the JSON report."""
        return {
            "overall": self.overall,
            "band": self.band,
            "families": dict(self.families),
            "formula": SCORE_VERSION,
        }


def weight_of(rank: int | None) -> int:
    """A ticket's weight from its priority rank."""
    return RANK_WEIGHT.get(rank, 1) if rank is not None else 1


def round_half_up(value: Fraction) -> int:
    """Round a non-negative fraction to the nearest integer, halves up (no banker's rounding)."""
    return int(value + Fraction(1, 2))


def band_of(score: int) -> str:
    """The word for a score: healthy, fair, needs work or poor."""
    return next(word for floor, word in BANDS if score >= floor)


def health_of(findings: Iterable[Finding]) -> Fraction:
    """1 minus the penalties of ``findings``, never below 0."""
    return Fraction(_points(findings), UNIT)


def _points(findings: Iterable[Finding]) -> int:
    return max(0, UNIT - sum(PENALTY_POINTS[f.severity] for f in findings))


def compute_score(
    tickets: Sequence[Scored], findings: Iterable[Finding], families: Iterable[str] = ()
) -> Score:
    """Score a report's tickets and findings (see the module docstring for the formula).

    ``families`` names families to score even without findings (those of the rules that ran),
    so a clean family shows 100 rather than nothing.
    """
    keys = {t.key for t in tickets}
    counted: dict[str, list[Finding]] = {}
    families_seen = set(families) - UNSCORED_FAMILIES
    for finding in findings:
        if finding.family in UNSCORED_FAMILIES or finding.ticket not in keys:
            continue
        counted.setdefault(finding.ticket, []).append(finding)
        families_seen.add(finding.family)
    weights = {t.key: weight_of(t.priority_rank) for t in tickets}
    healths: dict[str, TicketHealth] = {}
    # A ticket without findings has every point in every family: only the flagged tickets'
    # shortfalls (UNIT minus their points, weighted) are summed, in one pass.
    shortfall = 0
    family_shortfall: dict[str, int] = dict.fromkeys(families_seen, 0)
    for key, weight in weights.items():
        own = counted.get(key)
        if not own:
            healths[key] = TicketHealth(key, UNIT, weight, 0, 0, 0)
            continue
        by_severity = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.INFO: 0}
        by_family: dict[str, int] = {}
        for finding in own:
            by_severity[finding.severity] += 1
            points = PENALTY_POINTS[finding.severity]
            by_family[finding.family] = by_family.get(finding.family, 0) + points
        points = max(0, UNIT - sum(by_family.values()))
        shortfall += (UNIT - points) * weight
        for family, penalty in by_family.items():
            family_shortfall[family] += min(UNIT, penalty) * weight
        healths[key] = TicketHealth(
            key,
            points,
            weight,
            by_severity[Severity.ERROR],
            by_severity[Severity.WARNING],
            by_severity[Severity.INFO],
        )
    total = sum(weights.values())
    overall = _percent_of(total, shortfall)
    by_family = {
        family: _percent_of(total, family_shortfall[family])
        for family in ordered_families(families_seen)
    }
    lost = points_lost(counted, weights, 100 - overall, by_family)
    return Score(overall=overall, families=by_family, tickets=healths, lost=lost)


def points_lost(
    counted: Mapping[str, Sequence[Finding]],
    weights: Mapping[str, int],
    total: int,
    families: Iterable[str],
) -> dict[str, int]:
    """Share ``total`` (100 minus the backlog score) among ``families``, whole points.

    Each ticket's lost health (its penalties, capped at its whole health) is split among the
    families in proportion to their penalties on it, weighted like the score; the exact shares
    are then rounded by largest remainder, so the whole numbers add up to ``total`` exactly.
    """
    names = list(families)
    weight_sum = sum(weights.values())
    if not weight_sum:
        return dict.fromkeys(names, 0)
    # Each share is weight * lost * points * 100 / (charged * UNIT * weight_sum): exact sums
    # of integer numerators per family and ``charged``, turned into Fractions once per
    # distinct ``charged`` (a handful), not once per ticket.
    numerators: dict[str, dict[int, int]] = {family: {} for family in names}
    for key, own in counted.items():
        penalties: dict[str, int] = {}
        for finding in own:
            points = PENALTY_POINTS[finding.severity]
            penalties[finding.family] = penalties.get(finding.family, 0) + points
        charged = sum(penalties.values())
        lost = min(UNIT, charged)  # a ticket cannot lose more than its whole health
        for family, points in penalties.items():
            by_charge = numerators.setdefault(family, {})
            by_charge[charged] = by_charge.get(charged, 0) + weights[key] * lost * points * 100
    exact = {
        family: sum(
            (Fraction(n, charged * UNIT * weight_sum) for charged, n in by_charge.items()),
            Fraction(0),
        )
        for family, by_charge in numerators.items()
    }
    whole = {family: int(value) for family, value in exact.items()}
    # Largest remainder first, ties in family order: deterministic, and sums to ``total``.
    order = sorted(exact, key=lambda f: (-(exact[f] - whole[f]), names.index(f)))
    for family in order[: max(0, total - sum(whole.values()))]:
        whole[family] += 1
    return {family: whole[family] for family in names}


def _percent_of(total: int, shortfall: int) -> int:
    """The weighted share of points kept, in percent: every ticket's UNIT points times its
    weight (``total`` weight), less the weighted ``shortfall``."""
    if not total:
        return 100
    return round_half_up(Fraction((total * UNIT - shortfall) * 100, total * UNIT))


def ordered_families(names: Iterable[str]) -> list[str]:
    """Known families in their canonical order, then any plugin family alphabetically."""
    names = set(names)
    return [f for f in FAMILIES if f in names] + sorted(names - set(FAMILIES))


def natural_key(key: str) -> tuple[object, ...]:
    """Sort ``SHOP-9`` before ``SHOP-10`` and ``o/r#9`` before ``o/r#10``."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", key))
