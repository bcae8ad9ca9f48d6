"""The health score: the documented formula, its weights and its stability."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from backlint.model import Finding, Severity
from backlint.report.report import TicketSummary
from backlint.report.score import band_of, compute_score, health_of, round_half_up


def ticket(key: str, rank: int | None = None) -> TicketSummary:
    return TicketSummary(key, key, "", "story", "To Do", "todo", None, rank, (), None, None)


def finding(key: str, severity: Severity, family: str = "clarity", rule: str = "BL101") -> Finding:
    return Finding(key, rule, "title-length", family, severity, f"{rule} on {key}")


def test_clean_backlog_scores_100_and_empty_backlog_too():
    assert compute_score([ticket("A-1"), ticket("A-2")], []).overall == 100
    assert compute_score([], []).overall == 100


def test_penalties_per_severity_floor_at_zero():
    assert health_of([finding("A", Severity.ERROR)]) == Fraction(2, 5)
    assert health_of([finding("A", Severity.WARNING)]) == Fraction(3, 4)
    assert health_of([finding("A", Severity.INFO)]) == Fraction(19, 20)
    assert health_of([finding("A", Severity.ERROR)] * 2) == 0
    assert health_of([finding("A", Severity.WARNING)] * 5) == 0


def test_backlog_score_is_the_priority_weighted_mean_of_ticket_health():
    tickets = [ticket("A-1", 0), ticket("A-2", 1), ticket("A-3", 3), ticket("A-4")]
    findings = [finding("A-1", Severity.ERROR), finding("A-3", Severity.WARNING)]
    score = compute_score(tickets, findings)
    # weights 3, 2, 1, 1; healths 0.4, 1, 0.75, 1 -> (1.2 + 2 + 0.75 + 1) / 7 = 70.71 %
    assert score.overall == 71
    assert score.families == {"clarity": 71}
    assert score.tickets["A-1"].percent == 40


def test_urgent_tickets_weigh_more():
    findings = [finding("A-1", Severity.ERROR)]
    urgent = compute_score([ticket("A-1", 0), ticket("A-2", 4)], findings).overall
    minor = compute_score([ticket("A-1", 4), ticket("A-2", 0)], findings).overall
    assert urgent < minor


def test_family_scores_count_only_their_findings_and_list_clean_families():
    tickets = [ticket("A-1"), ticket("A-2")]
    findings = [
        finding("A-1", Severity.ERROR, "acceptance-criteria", "BL201"),
        finding("A-2", Severity.WARNING, "clarity"),
    ]
    score = compute_score(tickets, findings, families=["hygiene", "clarity", "run"])
    assert score.families == {"clarity": 88, "acceptance-criteria": 70, "hygiene": 100}
    assert list(score.families) == ["clarity", "acceptance-criteria", "hygiene"]


def test_run_findings_and_unknown_tickets_do_not_count():
    tickets = [ticket("A-1")]
    findings = [
        finding("A-1", Severity.ERROR, "run", "BL901"),
        finding("(backlog)", Severity.ERROR, "priority", "BL402"),
    ]
    assert compute_score(tickets, findings).overall == 100


def test_same_findings_in_any_order_give_the_same_score():
    tickets = [ticket(f"A-{i}", i % 5) for i in range(40)]
    severities = list(Severity)
    findings = [finding(f"A-{i % 40}", severities[i % 3], rule=f"BL{i}") for i in range(90)]
    first = compute_score(tickets, findings)
    shuffled = findings[:]
    random.Random(7).shuffle(shuffled)
    again = compute_score(list(reversed(tickets)), shuffled)
    assert (again.overall, again.families) == (first.overall, first.families)
    assert [t.key for t in again.worst()] == [t.key for t in first.worst()]


def test_worst_is_least_healthy_then_most_urgent():
    tickets = [ticket("A-10", 3), ticket("A-9", 0), ticket("A-2", 2), ticket("A-3")]
    findings = [
        finding("A-10", Severity.ERROR),
        finding("A-9", Severity.ERROR),
        finding("A-2", Severity.WARNING),
    ]
    assert [t.key for t in compute_score(tickets, findings).worst()] == ["A-9", "A-10", "A-2"]


def test_rounding_is_half_up_and_bands():
    assert round_half_up(Fraction(145, 2)) == 73
    assert round_half_up(Fraction(144, 2)) == 72
    assert [band_of(s) for s in (100, 90, 89, 75, 74, 50, 49, 0)] == [
        "healthy",
        "healthy",
        "fair",
        "fair",
        "needs work",
        "needs work",
        "poor",
        "poor",
    ]


def test_points_lost_by_family_add_up_to_what_the_backlog_score_lost():
    # Every family scores 74 or better on its own while the backlog scores far lower: a ticket
    # fails several families. The points lost reconcile the figures: they add up to 100 - score.
    tickets = [ticket("A-1", 0), ticket("A-2"), ticket("A-3"), ticket("A-4", 1)]
    findings = [
        finding("A-1", Severity.ERROR, "acceptance-criteria", "BL201"),
        finding("A-1", Severity.WARNING, "clarity"),
        finding("A-1", Severity.WARNING, "hygiene", "BL502"),
        finding("A-2", Severity.WARNING, "clarity"),
        finding("A-4", Severity.INFO, "priority", "BL405"),
    ]
    score = compute_score(tickets, findings, families=["objective-link"])
    assert score.overall < min(score.families.values())
    assert sum(score.lost.values()) == 100 - score.overall
    assert list(score.lost) == list(score.families)
    assert score.lost["objective-link"] == 0
    # A-1 (weight 3) loses its whole health: 12 + 5 + 5 twentieths charged, 20 lost, so
    # acceptance-criteria carries 12/22 of it; its share is the largest.
    assert max(score.lost, key=score.lost.get) == "acceptance-criteria"
    # Weights 3, 1, 1, 2 (sum 7). Alone: clarity (45+15+20+40)/140 = 86, acceptance 74, ...
    assert score.families == {
        "clarity": 86,
        "acceptance-criteria": 74,
        "objective-link": 100,
        "priority": 99,
        "hygiene": 89,
    }
    # ... together (0+15+20+38)/140 = 52, so 48 points lost: A-1's 3x20 split 12:5:5, A-2's
    # 5 to clarity, A-4's 2 to priority; 23.38, 13.31, 9.74, 1.43 rounded by largest remainder.
    assert score.overall == 52
    assert score.lost == {
        "clarity": 13,
        "acceptance-criteria": 23,
        "objective-link": 0,
        "priority": 2,
        "hygiene": 10,
    }


def test_points_lost_always_add_up_whatever_the_findings():
    rng = random.Random(11)
    families = ["clarity", "acceptance-criteria", "priority", "hygiene", "duplicate"]
    for _ in range(200):
        tickets = [ticket(f"A-{i}", rng.choice([0, 1, 2, None])) for i in range(rng.randint(0, 9))]
        findings = [
            finding(rng.choice(tickets).key, rng.choice(list(Severity)), rng.choice(families))
            for _ in range(rng.randint(0, 20) if tickets else 0)
        ]
        score = compute_score(tickets, findings, families)
        assert sum(score.lost.values()) == 100 - score.overall
        assert all(value >= 0 for value in score.lost.values())


def _reference_score(tickets, findings, families):
    """The formula read literally, ticket by ticket and family by family (slow, plain)."""
    from fractions import Fraction

    from backlint.report.score import PENALTY_POINTS, UNIT, UNSCORED_FAMILIES, weight_of

    keys = {t.key for t in tickets}
    kept = [f for f in findings if f.family not in UNSCORED_FAMILIES and f.ticket in keys]
    weights = {t.key: weight_of(t.priority_rank) for t in tickets}

    def percent(points_of) -> int:
        total = sum(weights.values())
        if not total:
            return 100
        earned = sum(points_of(key) * weight for key, weight in weights.items())
        return int(Fraction(earned * 100, total * UNIT) + Fraction(1, 2))

    def points(key, family=None) -> int:
        own = [f for f in kept if f.ticket == key and family in (None, f.family)]
        return max(0, UNIT - sum(PENALTY_POINTS[f.severity] for f in own))

    names = (set(families) - UNSCORED_FAMILIES) | {f.family for f in kept}
    return percent(points), {name: percent(lambda k, n=name: points(k, n)) for name in names}


@settings(max_examples=150, deadline=None)
@given(
    ranks=st.lists(st.sampled_from([None, 1, 2, 3, 4, 5]), max_size=25),
    picks=st.lists(
        st.tuples(
            st.integers(0, 27),
            st.sampled_from(["clarity", "priority", "duplicate", "run", "acme"]),
            st.sampled_from(list(Severity)),
        ),
        max_size=80,
    ),
    extra=st.lists(st.sampled_from(["clarity", "hygiene", "run"]), max_size=2),
)
def test_the_score_is_the_formula_read_literally(ranks, picks, extra):
    from backlint.report.report import TicketSummary

    tickets = [
        TicketSummary(
            key=f"K-{i}",
            title="",
            url="",
            kind="bug",
            status="",
            status_category="todo",
            priority=None,
            priority_rank=rank,
            labels=(),
            created=None,
            updated=None,
        )
        for i, rank in enumerate(ranks)
    ]
    findings = [
        Finding(
            ticket=f"K-{n}",
            rule="X1",
            name="x",
            family=family,
            severity=severity,
            message=str(index),
        )
        for index, (n, family, severity) in enumerate(picks)
    ]
    score = compute_score(tickets, findings, extra)
    overall, families = _reference_score(tickets, findings, extra)
    assert score.overall == overall
    assert dict(score.families) == families
    assert sum(score.lost.values()) == 100 - overall
