using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentRecordProperties
{
    /// <summary>Each int is one step: which operation (low digit), and how far the clock moves and in which offset.</summary>
    private static Arbitrary<int[]> Steps => Gen.Choose(0, 99_999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 200)]
    public Property Every_incident_a_tracker_can_produce_round_trips_through_its_stored_record() =>
        Prop.ForAll(Steps, steps =>
        {
            var tracker = new IncidentTracker();
            var now = At(0);
            tracker.Raise([NodeDown(0, "sw-1", "r-1")], now);
            foreach (int step in steps)
            {
                now += TimeSpan.FromSeconds(step / 10 % 7_200) + TimeSpan.FromTicks(step % 13);
                var at = now.ToOffset(TimeSpan.FromHours((step % 5) - 2));
                string id = tracker.Incidents[^1].Id;
                try
                {
                    _ = (step % 10) switch
                    {
                        0 => tracker.Acknowledge(id, at, "alice", $"note {step}"),
                        1 => tracker.Mitigate(id, at, "alice"),
                        2 => tracker.Resolve(id, at, "bob", "fixed", step % 3 == 0 ? $"cause {step}" : null),
                        3 => tracker.LinkFinding(id, $"fnd-{step % 11}", at, "health"),
                        4 => tracker.LinkRemediationRun(id, $"run-{step % 7}", at, "health"),
                        5 => tracker.Raise(
                            [Alert.Firing(
                                At(step % 90),
                                ("alertname", "SloBurnRate"),
                                ("switch", $"sw-{step % 3}"),
                                ("severity", step % 2 == 0 ? "ticket" : "sev1"),
                                (IncidentLabels.Slo, $"slo-{step % 5}"),
                                (IncidentLabels.Tenant, $"tenant-{step % 4}"),
                                (IncidentLabels.LineOfBusiness, "inference"),
                                (IncidentLabels.Finding, $"fnd-{step % 9}"),
                                (IncidentLabels.Diagnosis, step % 3 == 0 ? $"dgn-{step % 2}" : ""))],
                            at),
                        _ => tracker.Raise(
                            [NodeDown(step % 50, $"sw-{step % 3}", $"r-{step % 4}", startMinute: step % 90, severity: (step % 4) switch
                            {
                                0 => "critical",
                                1 => "page",
                                2 => "warning",
                                _ => "info",
                            })],
                            at),
                    };
                }
                catch (IncidentTransitionException)
                {
                    // Refused transitions (resolving an unacknowledged incident) change nothing; the walk goes on.
                }
            }

            foreach (var incident in tracker.Incidents)
            {
                var restored = IncidentRecord.FromRecord(IncidentRecord.ToRecord(incident, 1));
                IncidentAssert.Same(incident, restored);
            }

            return true;
        });
}
