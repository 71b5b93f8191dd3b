using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Correlation;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;
using static NeoCloud.Health.Tests.Correlation.CorrelationFleet;

namespace NeoCloud.Health.Tests.Correlation;

public sealed class DiagnoserProperties
{
    private static readonly string[] Codes =
    [
        "XID-79", "XID-13", "XID-31", "XID-43", "XID-48", "XID-9999", "ECC-DBE", "ECC-SBE-RATE", "ROW-REMAP-FAILURE", "STRAGGLER",
        "NUMERIC-ANOMALY", "NCCL-TIMEOUT", "THERMAL-THROTTLE", "CUSTOM-RULE",
    ];

    // A lower shared-cause threshold and a longer window than the defaults, so a few dozen random findings on a few nodes do blame switches and PDUs.
    private static readonly DiagnosisOptions Options = new() { SharedCauseFraction = 0.1, CorrelationWindow = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// Any sequence of findings on a few nodes (so switches, PDUs, nodes and jobs do get shared), added over time with
    /// rounds decided in between: after enough time nothing is pending and each finding is in exactly one diagnosis;
    /// every diagnosis has a confidence in 0–1, reasoning, a unique id, and is decided no earlier than its findings were
    /// raised; port and application findings are never decided before their window from the first of them has passed.
    /// </summary>
    [Property(MaxTest = 300)]
    public Property Any_sequence_of_findings_ends_up_each_in_exactly_one_diagnosis(int[] steps, int seed)
    {
        var fleet = TwoLeafGroups;
        var diagnoser = new Diagnoser(fleet, FaultCatalog.Default, Options, seed);
        var frame = new SignalFrame(fleet);
        var added = new List<Finding>();
        var diagnoses = new List<Diagnosis>();
        var at = T0;
        steps ??= [];
        for (int i = 0; i < steps.Length; i++)
        {
            // Mixing in the position makes FsCheck's small, repetitive integers reach every node, code and time.
            uint u = Spread(steps[i] + (i * 1_000_003));
            string node = fleet.Nodes[(int)(u / 32 % 16)].Id.Value;
            int gpu = (int)(u / 512 % 8);
            long work = u / 4096 % 3;
            at += TimeSpan.FromSeconds(u / 16384 % 12 == 0 ? 5 + (u / 16384 % 30) : 0);
            var finding = (u % 4) switch
            {
                // A quarter port findings and a quarter heartbeats, so leaf switches and PDUs see several at once.
                0 => OnPort(u / 8 % 2 == 0 ? "IB-LINK-DOWNED" : "IB-SYMBOL-ERROR-RATE", Port(node, gpu == 7 ? 1 : 0), at),
                1 => Heartbeat(node, at),
                _ => Codes[u / 4 % (uint)Codes.Length] switch
                {
                    "NCCL-TIMEOUT" => Found("NCCL-TIMEOUT", ComponentKind.Job, $"job-{work}", at, work),
                    var code => OnGpu(code, Gpu(node, gpu), at, work: u / 65536 % 2 == 0 ? work : 0),
                },
            };
            frame.WorkOfGpu[fleet.GpuOffsets[(int)(u / 32 % 16)] + gpu] = work;
            diagnoser.Add(finding);
            added.Add(finding);
            if (u / 131072 % 2 == 0)
            {
                frame.Begin(at);
                diagnoser.Decide(frame, diagnoses);
            }
        }

        frame.Begin(at.AddDays(1));
        diagnoser.Decide(frame, diagnoses);
        int pending = diagnoser.Pending;
        frame.Begin(at.AddDays(2));
        var afterward = new List<Diagnosis>();
        diagnoser.Decide(frame, afterward);

        var times = diagnoses.SelectMany(d => d.Findings).GroupBy(f => f.Id).ToDictionary(g => g.Key, g => g.Count());
        bool eachOnce = added.TrueForAll(f => times.TryGetValue(f.Id, out int n) && n == 1) && times.Count == added.Count;
        bool wellFormed = diagnoses.TrueForAll(d =>
            d.Confidence is >= 0 and <= 1 && d.Reasoning.Length > 0 && d.Findings.Count > 0 && d.Id.StartsWith("dgn-", StringComparison.Ordinal)
            && d.Findings.All(f => f.DetectedAt <= d.At));
        bool idsUnique = diagnoses.Select(d => d.Id).Distinct(StringComparer.Ordinal).Count() == diagnoses.Count;
        bool heldLongEnough = diagnoses.TrueForAll(d => d.Suspect.Kind switch
        {
            // A port is decided with its leaf switch's window, which opened at an earlier port finding on the same rail (all 16 nodes share one leaf group).
            ComponentKind.Port => added.Exists(f =>
                f.Component.Kind == ComponentKind.Port && f.Component.Id[^1] == d.Suspect.Id[^1]
                && f.DetectedAt <= d.Findings.Min(g => g.DetectedAt) && f.DetectedAt + Options.CorrelationWindow <= d.At),
            ComponentKind.Job => d.At >= d.Findings.Min(f => f.DetectedAt) + Options.JobWindow,
            _ => true,
        });
        bool sharedCausesSpareTheNodes = diagnoses.TrueForAll(d =>
            d.Suspect.Kind is not (ComponentKind.Switch or ComponentKind.Pdu) || (d.Gpus.Count == 0 && d.Nodes.Count >= d.Findings.Select(f => f.Node).Distinct().Count()));
        bool jobsAreNotHardware = diagnoses.TrueForAll(d =>
            d.Suspect.Kind != ComponentKind.Job || (!d.Fatal && d.Remedy is RemedyHint.RestartApplication or RemedyHint.None));

        return (pending == 0 && afterward.Count == 0 && eachOnce && wellFormed && idsUnique && heldLongEnough && sharedCausesSpareTheNodes && jobsAreNotHardware)
            .Label($"{added.Count} findings, {diagnoses.Count} diagnoses, pending {pending}, once {eachOnce}, well-formed {wellFormed}, "
                + $"unique {idsUnique}, held {heldLongEnough}, shared {sharedCausesSpareTheNodes}, jobs {jobsAreNotHardware}");
    }

    /// <summary>Spreads FsCheck's small integers over all 32 bits so every field of a step varies.</summary>
    private static uint Spread(int step)
    {
        uint x = (uint)step * 0x9E3779B1u;
        x ^= x >> 15;
        x *= 0x85EBCA77u;
        return x ^ (x >> 13);
    }
}
