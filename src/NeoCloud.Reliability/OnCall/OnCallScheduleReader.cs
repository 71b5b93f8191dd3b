using System.Globalization;
using System.Text.RegularExpressions;
using NeoCloud.Kernel.Manifests;
using YamlDotNet.RepresentationModel;

namespace NeoCloud.Reliability.OnCall;

/// <summary>
/// Reads a <c>kind: OnCallSchedule</c> manifest; a bad file is rejected whole, every error with its line, column and field
/// path, unknown fields included (a misspelt <c>overides</c> must not silently leave someone paged on their day off).
/// </summary>
public static partial class OnCallScheduleReader
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    [GeneratedRegex(@"(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex ExplicitOffset();

    public static OnCallSchedule Parse(string yaml)
    {
        var errors = new List<SpecError>();
        return TryParse(yaml, errors) ?? throw new OnCallScheduleException(errors);
    }

    public static OnCallSchedule ReadFile(string path) => Parse(File.ReadAllText(path));

    /// <summary>Reads the manifest; returns null and fills <paramref name="errors"/> when anything is wrong.</summary>
    public static OnCallSchedule? TryParse(string yaml, List<SpecError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        if (ManifestDocument.Load(yaml, OnCallSchedule.Kind, errors) is not { } document)
        {
            return null;
        }

        document.Metadata?.RejectUnknown();
        var spec = document.Spec;
        // Names of every declared rotation, broken ones too, so that a bad rotation does not also fail each reference to it.
        var names = new HashSet<string>(StringComparer.Ordinal);
        var rotations = ReadRotations(spec, names, errors);
        var overrides = ReadOverrides(spec, names, errors);
        var escalation = ReadEscalation(spec, names, errors);
        spec.RejectUnknown();
        if (errors.Count > before || escalation is null)
        {
            return null;
        }

        return new OnCallSchedule(document.Name, rotations, overrides, escalation);
    }

    private static List<Rotation> ReadRotations(SpecMapping spec, HashSet<string> names, List<SpecError> errors)
    {
        var rotations = new List<Rotation>();
        var nodes = spec.Sequence("rotations", required: true);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("rotations")}[{i}]", errors) is not { } r)
            {
                continue;
            }

            string? name = r.String("name", required: true);
            if (name is not null && !names.Add(name))
            {
                r.Error(r.Get("name"), "name", $"rotation '{name}' is defined twice");
            }

            var participants = Names(r, "participants", errors);
            var zone = Zone(r);
            DateTime? start = null;
            if (r.String("start", required: true) is { } text)
            {
                if (DateTime.TryParseExact(text, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                {
                    start = parsed;
                }
                else
                {
                    r.Error(r.Get("start"), "start", $"'{text}' must be a wall-clock time in the rotation's timeZone such as 2026-03-02T09:00, without an offset");
                }
            }

            var period = r.Duration("period", required: true, positive: true);
            if (period is { } p && p > TimeSpan.FromDays(1) && p.Ticks % TimeSpan.TicksPerDay != 0)
            {
                r.Error(r.Get("period"), "period", "a period longer than a day must be whole days (handoffs keep their wall-clock time)");
                period = null;
            }

            r.RejectUnknown();
            if (name is not null && participants.Count > 0 && zone is not null && start is not null && period is not null)
            {
                rotations.Add(new Rotation(name, participants, start.Value, period.Value, zone));
            }
        }

        return rotations;
    }

    private static List<ScheduleOverride> ReadOverrides(SpecMapping spec, HashSet<string> rotations, List<SpecError> errors)
    {
        var overrides = new List<ScheduleOverride>();
        var nodes = spec.Sequence("overrides", required: false);
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{spec.Join("overrides")}[{i}]", errors) is not { } o)
            {
                continue;
            }

            string? rotation = RotationName(o, "rotation", rotations);
            string? person = o.String("person", required: true);
            var start = Instant(o, "start");
            var end = Instant(o, "end");
            if (start is not null && end is not null && end <= start)
            {
                o.Error(o.Get("end"), "end", "must be after start");
                end = null;
            }

            o.RejectUnknown();
            if (rotation is not null && person is not null && start is not null && end is not null)
            {
                overrides.Add(new ScheduleOverride(rotation, person, start.Value, end.Value));
            }
        }

        return overrides;
    }

    private static EscalationPolicy? ReadEscalation(SpecMapping spec, HashSet<string> rotations, List<SpecError> errors)
    {
        if (SpecMapping.From(spec.Get("escalation"), spec.Join("escalation"), errors) is not { } e)
        {
            spec.Error(null, "escalation", "is required");
            return null;
        }

        int repeat = e.Int("repeat", 0, 9, fallback: 0);
        var levels = new List<EscalationLevel>();
        var nodes = e.Sequence("levels", required: true);
        bool ok = nodes.Count > 0;
        for (int i = 0; i < nodes.Count; i++)
        {
            if (SpecMapping.From(nodes[i], $"{e.Join("levels")}[{i}]", errors) is not { } level)
            {
                ok = false;
                continue;
            }

            var targets = new List<EscalationTarget>();
            var targetNodes = level.Sequence("targets", required: true);
            for (int t = 0; t < targetNodes.Count; t++)
            {
                if (SpecMapping.From(targetNodes[t], $"{level.Join("targets")}[{t}]", errors) is not { } target)
                {
                    continue;
                }

                bool byRotation = target.Get("rotation") is not null;
                bool byPerson = target.Get("person") is not null;
                if (byRotation == byPerson)
                {
                    target.Error(null, "", "must give exactly one of rotation or person");
                }
                else if (byRotation && RotationName(target, "rotation", rotations) is { } rotation)
                {
                    targets.Add(new EscalationTarget(EscalationTargetKind.Rotation, rotation));
                }
                else if (byPerson && target.String("person", required: true) is { } person)
                {
                    targets.Add(new EscalationTarget(EscalationTargetKind.Person, person));
                }

                target.RejectUnknown();
            }

            var after = level.Duration("escalateAfter", required: true, positive: true);
            level.RejectUnknown();
            if (targets.Count == 0 || after is null)
            {
                ok = false;
                continue;
            }

            levels.Add(new EscalationLevel(targets, after.Value));
        }

        e.RejectUnknown();
        return ok ? new EscalationPolicy(levels, repeat) : null;
    }

    private static List<string> Names(SpecMapping m, string field, List<SpecError> errors)
    {
        var names = new List<string>();
        foreach (var node in m.Sequence(field, required: true))
        {
            if (node is YamlScalarNode { Value: { Length: > 0 } name } && !string.IsNullOrWhiteSpace(name))
            {
                names.Add(name);
            }
            else
            {
                errors.Add(new SpecError(SpecMapping.Line(node), SpecMapping.Column(node), m.Join(field), "every participant must be a non-empty name"));
            }
        }

        return names;
    }

    private static TimeZoneInfo? Zone(SpecMapping m)
    {
        if (m.String("timeZone", required: true) is not { } id)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            m.Error(m.Get("timeZone"), "timeZone", $"'{id}' is not a known IANA time zone such as Europe/Berlin or UTC");
            return null;
        }
    }

    private static string? RotationName(SpecMapping m, string field, HashSet<string> rotations)
    {
        string? name = m.String(field, required: true);
        if (name is not null && !rotations.Contains(name))
        {
            m.Error(m.Get(field), field, $"'{name}' is not a rotation of this schedule (known: {string.Join(", ", rotations.Order(StringComparer.Ordinal))})");
            return null;
        }

        return name;
    }

    /// <summary>An instant with an explicit offset: an override is agreed between people, so it names its own zone.</summary>
    private static DateTimeOffset? Instant(SpecMapping m, string field)
    {
        if (m.String(field, required: true) is not { } text)
        {
            return null;
        }

        if (ExplicitOffset().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at;
        }

        m.Error(m.Get(field), field, $"'{text}' must be a time with its offset such as 2026-03-25T18:00:00+01:00 or 2026-03-25T17:00:00Z");
        return null;
    }
}
