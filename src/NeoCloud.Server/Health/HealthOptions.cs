using NeoCloud.Health.Detection;
using NeoCloud.Health.Remediation;
using NeoCloud.Server.Json;

namespace NeoCloud.Server.Health;

/// <summary>
/// Fault detection and self-healing in the host (<c>NeoCloud:Health</c>): whether it runs, whether it may act, and the
/// safety rails an operator tunes. Defaults are those of <see cref="RemediationPolicy"/> and <see cref="DetectionOptions"/>.
/// </summary>
public sealed class HealthOptions
{
    public const string Section = "NeoCloud:Health";

    private static readonly RemediationPolicy DefaultPolicy = new();
    private static readonly DetectionOptions DefaultDetection = new();

    /// <summary>Run detection, diagnosis and remediation after every telemetry round.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Record what remediation would do without doing it.</summary>
    public bool DryRun { get; set; }

    /// <summary>Remediation actions that wait for a person's approval (<c>reboot-node</c>, <c>replace</c>, ...).</summary>
    public List<string> RequireApproval { get; set; } = [];

    public double MaxClusterFraction { get; set; } = DefaultPolicy.MaxClusterFraction;
    public int MaxClusterNodes { get; set; } = DefaultPolicy.MaxClusterNodes;
    public double MaxDomainFraction { get; set; } = DefaultPolicy.MaxDomainFraction;
    public int MaxDomainNodes { get; set; } = DefaultPolicy.MaxDomainNodes;
    public TimeSpan Cooldown { get; set; } = DefaultPolicy.Cooldown;
    public int RepeatOffenderCount { get; set; } = DefaultPolicy.RepeatOffenderCount;
    public TimeSpan RepeatOffenderWindow { get; set; } = DefaultPolicy.RepeatOffenderWindow;
    public double BreakerFraction { get; set; } = DefaultPolicy.BreakerFraction;
    public int BreakerMaxNodes { get; set; } = DefaultPolicy.BreakerMaxNodes;
    public TimeSpan BreakerWindow { get; set; } = DefaultPolicy.BreakerWindow;

    /// <summary><c>immediate</c>, <c>allow-completion</c> or <c>after-timeout</c>.</summary>
    public string DrainMode { get; set; } = WireNames.Of(DefaultPolicy.DrainMode);

    public TimeSpan DrainTimeout { get; set; } = DefaultPolicy.DrainTimeout;
    public TimeSpan CheckpointGrace { get; set; } = DefaultPolicy.CheckpointGrace;
    public TimeSpan ActionTimeout { get; set; } = DefaultPolicy.ActionTimeout;

    /// <summary>Rounds a level signal must hold before a finding (hysteresis).</summary>
    public int RaiseAfterRounds { get; set; } = DefaultDetection.RaiseAfterRounds;

    /// <summary>Rounds in a row a node must miss before it is reported missing.</summary>
    public int HeartbeatMissedRounds { get; set; } = DefaultDetection.HeartbeatMissedRounds;

    /// <summary>An XID burst ends after this much silence.</summary>
    public TimeSpan XidBurstSilence { get; set; } = DefaultDetection.XidBurstSilence;

    /// <summary>NIC ports (rails) per node whose counters are read.</summary>
    public int RailsPerNode { get; set; } = 8;

    /// <summary>What is wrong with these options, one sentence per problem naming the key; empty when they are valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (string action in RequireApproval)
        {
            if (!WireNames.TryParse(action, out RemediationAction _))
            {
                problems.Add($"{Section}:RequireApproval: '{action}' is not a remediation action; use one of: {string.Join(", ", WireNames.All<RemediationAction>())}.");
            }
        }

        if (!WireNames.TryParse(DrainMode, out DrainMode _))
        {
            problems.Add($"{Section}:DrainMode: '{DrainMode}' is not a drain mode; use one of: {string.Join(", ", WireNames.All<DrainMode>())}.");
        }

        Check(problems, MaxClusterFraction is > 0 and <= 1, nameof(MaxClusterFraction), "must be above 0 and at most 1");
        Check(problems, MaxDomainFraction is > 0 and <= 1, nameof(MaxDomainFraction), "must be above 0 and at most 1");
        Check(problems, BreakerFraction is > 0 and <= 1, nameof(BreakerFraction), "must be above 0 and at most 1");
        Check(problems, MaxClusterNodes >= 1, nameof(MaxClusterNodes), "must be at least 1");
        Check(problems, MaxDomainNodes >= 1, nameof(MaxDomainNodes), "must be at least 1");
        Check(problems, BreakerMaxNodes >= 1, nameof(BreakerMaxNodes), "must be at least 1");
        Check(problems, RepeatOffenderCount >= 1, nameof(RepeatOffenderCount), "must be at least 1");
        Check(problems, RaiseAfterRounds >= 1, nameof(RaiseAfterRounds), "must be at least 1");
        Check(problems, HeartbeatMissedRounds >= 1, nameof(HeartbeatMissedRounds), "must be at least 1");
        Check(problems, RailsPerNode is >= 1 and <= 64, nameof(RailsPerNode), "must be from 1 to 64");
        Check(problems, Cooldown >= TimeSpan.Zero && RepeatOffenderWindow > TimeSpan.Zero && BreakerWindow > TimeSpan.Zero, "Cooldown/RepeatOffenderWindow/BreakerWindow", "must not be negative (the windows must be positive)");
        Check(problems, DrainTimeout > TimeSpan.Zero && CheckpointGrace >= TimeSpan.Zero && ActionTimeout > TimeSpan.Zero && XidBurstSilence > TimeSpan.Zero, "DrainTimeout/CheckpointGrace/ActionTimeout/XidBurstSilence", "must be positive");
        return problems;
    }

    /// <summary>The remediation policy these options describe (call on valid options).</summary>
    public RemediationPolicy ToPolicy() => DefaultPolicy with
    {
        DryRun = DryRun,
        RequireApproval = RequireApproval.Select(a => WireNames.TryParse(a, out RemediationAction action) ? action : throw new ArgumentException(Problems()[0])).ToHashSet(),
        MaxClusterFraction = MaxClusterFraction,
        MaxClusterNodes = MaxClusterNodes,
        MaxDomainFraction = MaxDomainFraction,
        MaxDomainNodes = MaxDomainNodes,
        Cooldown = Cooldown,
        RepeatOffenderCount = RepeatOffenderCount,
        RepeatOffenderWindow = RepeatOffenderWindow,
        BreakerFraction = BreakerFraction,
        BreakerMaxNodes = BreakerMaxNodes,
        BreakerWindow = BreakerWindow,
        DrainMode = WireNames.TryParse(DrainMode, out DrainMode mode) ? mode : throw new ArgumentException(Problems()[0]),
        DrainTimeout = DrainTimeout,
        CheckpointGrace = CheckpointGrace,
        ActionTimeout = ActionTimeout,
    };

    public DetectionOptions ToDetection() => DefaultDetection with
    {
        RaiseAfterRounds = RaiseAfterRounds,
        HeartbeatMissedRounds = HeartbeatMissedRounds,
        XidBurstSilence = XidBurstSilence,
    };

    private static void Check(List<string> problems, bool ok, string key, string rule)
    {
        if (!ok)
        {
            problems.Add($"{Section}:{key} {rule}.");
        }
    }
}
