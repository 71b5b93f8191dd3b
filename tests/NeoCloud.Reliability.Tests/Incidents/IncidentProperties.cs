using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Reliability.Incidents;
using static NeoCloud.Reliability.Tests.Incidents.IncidentScenario;

namespace NeoCloud.Reliability.Tests.Incidents;

public sealed class IncidentProperties
{
    /// <summary>Each int is one step: which operation (low digit) and how far the clock moves, forwards or backwards.</summary>
    private static Arbitrary<int[]> Steps => Gen.Choose(0, 99_999).ArrayOf().ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Timeline_never_goes_backwards_and_a_resolved_incident_accepts_nothing_more() =>
        Prop.ForAll(Steps, steps =>
        {
            var tracker = new IncidentTracker();
            var incident = tracker.Raise([NodeDown(0, "sw-1", "r-1")], At(0));
            var now = At(0);

            for (int s = 0; s < steps.Length; s++)
            {
                int step = steps[s];
                // Mostly forwards, sometimes backwards: callers with skewed clocks must be refused, not recorded.
                now += TimeSpan.FromMinutes(step / 10 % 60 - 10);
                bool wasResolved = incident.IsResolved;
                var before = incident;
                var status = incident.Status;
                try
                {
                    incident = (step % 10) switch
                    {
                        0 or 1 => tracker.Acknowledge(incident.Id, now, "alice"),
                        2 or 3 => tracker.Mitigate(incident.Id, now, "alice"),
                        4 => tracker.Resolve(incident.Id, now, "alice"),
                        5 => tracker.LinkFinding(incident.Id, $"fnd-{step % 7}", now, "health"),
                        6 => tracker.LinkRemediationRun(incident.Id, $"run-{step % 5}", now, "health"),
                        _ => tracker.Raise([NodeDown(step % 40, "sw-1", "r-1", startMinute: step % 30)], now) is var raised && raised.Id == incident.Id
                            ? raised
                            : incident,
                    };
                }
                catch (Exception e) when (e is IncidentTransitionException or ArgumentOutOfRangeException)
                {
                    incident = tracker[incident.Id];
                }

                if (wasResolved && !ReferenceEquals(before, incident))
                {
                    return false.Label($"step {s}: a resolved incident changed");
                }

                if (incident.Status < status)
                {
                    return false.Label($"step {s}: status went back from {status} to {incident.Status}");
                }

                for (int i = 1; i < incident.Timeline.Length; i++)
                {
                    if (incident.Timeline[i].At < incident.Timeline[i - 1].At)
                    {
                        return false.Label($"step {s}: {incident.Timeline[i].Kind} before {incident.Timeline[i - 1].Kind}");
                    }
                }

                if (incident.Onset > incident.OpenedAt)
                {
                    return false.Label($"step {s}: onset after opening");
                }
            }

            return true.ToProperty();
        });
}
