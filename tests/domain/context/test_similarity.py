"""The nearest-neighbour model of similar incidents, on profiles alone (no store)."""

from __future__ import annotations

from domain.context.similarity import MIN_SIMILARITY, IncidentProfile, SimilarityModel

DISK = {"alertname": "DiskSpaceLow", "mountpoint": "/var/lib/postgresql"}


def profile(incident_id: str, service: str, *alerts: tuple[str, dict[str, str]]) -> IncidentProfile:
    return IncidentProfile.of(incident_id, service, alerts)


def history() -> list[IncidentProfile]:
    return [
        profile("disk", "orders-db", ("Disk usage above 91% on node db-3", DISK)),
        profile("latency", "checkout", ("p99 latency above 2s", {"alertname": "HighLatency"})),
        profile("cert", "checkout", ("TLS certificate expires in 3 days", {"alertname": "Cert"})),
        profile(
            "oom", "payments", ("Pod payments-7d9f8c6b5-x2k4q OOMKilled", {"alertname": "OOM"})
        ),
    ]


def test_profiles_mask_what_varies_between_occurrences() -> None:
    first = profile(
        "a", "s", ("Pod payments-7d9f8c6b5-x2k4q OOMKilled at 10.0.0.7", {"pod": "p-1"})
    )
    second = profile(
        "b", "s", ("Pod payments-5c4b3a2d1-zz9yy OOMKilled at 10.0.3.9", {"pod": "p-22"})
    )

    assert first.templates == second.templates == {"pod payments-<pod> oomkilled at <ip>"}
    assert first.labels == second.labels == {"pod=p-<n>"}


def test_the_same_kind_of_failure_ranks_above_the_same_service() -> None:
    model = SimilarityModel(history())

    ranked = model.nearest(
        profile("new", "checkout", ("Disk usage above 97% on node db-7", DISK)), k=3
    )

    assert ranked[0][0] == "disk"
    assert {found for found, _ in ranked[1:]} == {"latency", "cert"}, "same service, less"
    assert ranked[0][1] > 0.8 > ranked[1][1]


def test_identical_incidents_are_fully_similar_and_scores_are_ordered() -> None:
    model = SimilarityModel(history())

    ranked = model.nearest(history()[1], k=4)

    assert ranked[0] == ("latency", 1.0)
    assert [score for _, score in ranked] == sorted((score for _, score in ranked), reverse=True)


def test_excluded_and_unrelated_incidents_are_left_out() -> None:
    model = SimilarityModel(history())

    ranked = model.nearest(history()[0], k=4, exclude=frozenset({"disk"}))
    unrelated = model.nearest(profile("x", "billing", ("kafka lag growing", {"team": "data"})), k=4)

    assert "disk" not in [found for found, _ in ranked]
    assert all(score >= MIN_SIMILARITY for _, score in ranked)
    assert unrelated == []


def test_k_limits_the_answer() -> None:
    model = SimilarityModel(history())

    assert len(model.nearest(history()[1], k=1)) == 1
    assert model.nearest(history()[1], k=0) == []


def test_an_empty_history_or_one_without_labels_still_answers() -> None:
    assert SimilarityModel([]).nearest(history()[0], k=3) == []
    unlabelled = SimilarityModel(
        [profile("a", "s", ("disk full on db-1", {})), profile("b", "t", ("cpu hot", {}))]
    )

    assert unlabelled.nearest(profile("q", "u", ("disk full on db-9", DISK)), k=2)[0][0] == "a"
    assert len(unlabelled) == 2
