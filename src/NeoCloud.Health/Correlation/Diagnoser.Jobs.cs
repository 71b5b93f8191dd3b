using System.Globalization;
using NeoCloud.Health.Catalog;
using NeoCloud.Health.Findings;
using NeoCloud.Health.Signals;

namespace NeoCloud.Health.Correlation;

/// <summary>Application-class findings: the job, or a GPU that keeps failing its jobs.</summary>
public sealed partial class Diagnoser
{
    private void DecideApplication(SignalFrame frame, List<Diagnosis> output)
    {
        if (_application.Count == 0)
        {
            return;
        }

        var at = frame.At;
        var groups = new Dictionary<string, (long Work, List<Finding> Findings)>(StringComparer.Ordinal);
        foreach (var finding in _application)
        {
            long work = finding.Work;
            if (work == 0 && finding.Component.Kind == ComponentKind.Gpu && GpuIndexOf(finding.Component.Id) is var gpu and >= 0)
            {
                work = frame.WorkOfGpu[gpu];
            }

            string key = work != 0 ? "work:" + work.ToString(CultureInfo.InvariantCulture) : "component:" + finding.Component;
            if (!groups.TryGetValue(key, out var group))
            {
                groups[key] = group = (work, []);
            }

            group.Findings.Add(finding);
        }

        _application.Clear();
        foreach (var (work, findings) in groups.Values)
        {
            var remaining = findings;
            while (remaining.Count > 0)
            {
                var end = remaining.Min(f => f.DetectedAt) + _options.JobWindow;
                if (at < end)
                {
                    _application.AddRange(remaining);
                    break;
                }

                DecideJob(work, remaining.FindAll(f => f.DetectedAt <= end), at, output);
                remaining = remaining.FindAll(f => f.DetectedAt > end);
            }
        }
    }

    private void DecideJob(long work, List<Finding> findings, DateTimeOffset at, List<Diagnosis> output)
    {
        var onGpus = findings.Where(f => f.Component.Kind == ComponentKind.Gpu).ToList();
        var gpus = onGpus.Select(f => f.Component.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var nodes = onGpus.Select(NodeNameOf).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        string? reportedName = findings.Find(f => f.Component.Kind == ComponentKind.Job)?.Component.Id;
        string job = reportedName ?? (work != 0 ? "work-" + work.ToString(CultureInfo.InvariantCulture) : "the work on " + findings[0].Component.Id);
        string codes = Codes(findings);
        string window = Seconds(_options.JobWindow);
        bool restart = findings.Exists(f => f.Code == NcclTimeout || f.Component.Kind == ComponentKind.Job || RemedyOf(f) == RemedyHint.RestartApplication);
        var jobRemedy = restart ? RemedyHint.RestartApplication : RemedyHint.None;
        string id = _ids.Next(at);
        if (gpus.Count >= 2)
        {
            output.Add(new Diagnosis(
                id, new ComponentRef(ComponentKind.Job, job), Math.Min(0.95, 0.6 + (0.05 * gpus.Count)),
                $"The same {codes} on {gpus.Count} GPUs of one job ({job}) within {window}: the job, not the hardware; {Describe(jobRemedy)}, no hardware action.",
                jobRemedy, Fatal: false, at, nodes, gpus, findings)
            {
                Work = work,
            });
            return;
        }

        if (gpus.Count == 1)
        {
            string gpu = gpus[0];
            if (!_applicationHistory.TryGetValue(gpu, out var history))
            {
                _applicationHistory[gpu] = history = [];
            }

            history.RemoveAll(t => t < at - _options.RepeatWindow);
            history.AddRange(onGpus.Select(f => f.DetectedAt));
            int times = history.Count;
            if (history.Count > _options.RepeatOnGpu)
            {
                // Only whether the count reaches RepeatOnGpu matters: keep the newest few.
                history.Sort();
                history.RemoveRange(0, history.Count - _options.RepeatOnGpu);
            }

            if (times >= _options.RepeatOnGpu)
            {
                output.Add(new Diagnosis(
                    id, new ComponentRef(ComponentKind.Gpu, gpu), 0.7,
                    $"Application-class faults ({codes}) on GPU {gpu} {times} times within {_options.RepeatWindow.TotalHours:0.#} h and on no other GPU of {job}: an error that keeps coming back on one GPU points at the GPU; run diagnostics on it.",
                    RemedyHint.Diagnose, findings.Exists(f => f.Fatal), at, nodes, gpus, findings)
                {
                    Work = work,
                });
                return;
            }

            if (work == 0 && reportedName is null)
            {
                // No work on the GPU, so no job to blame: recorded against the GPU, nothing done; a repeat calls for diagnostics.
                output.Add(new Diagnosis(
                    id, new ComponentRef(ComponentKind.Gpu, gpu), 0.4,
                    $"{codes} on GPU {gpu}, which carried no work, the first time on it within {_options.RepeatWindow.TotalHours:0.#} h: recorded, nothing to do to the hardware yet (if it comes back on this GPU, diagnostics).",
                    RemedyHint.None, Fatal: false, at, nodes, gpus, findings));
                return;
            }

            output.Add(new Diagnosis(
                id, new ComponentRef(ComponentKind.Job, job), 0.5,
                $"{codes} on one GPU ({gpu}) of {job}, the first time on it within {_options.RepeatWindow.TotalHours:0.#} h and on no other GPU within {window}: most likely the application; {Describe(jobRemedy)}, no hardware action (if it comes back on this GPU, diagnostics).",
                jobRemedy, Fatal: false, at, nodes, gpus, findings)
            {
                Work = work,
            });
            return;
        }

        output.Add(new Diagnosis(
            id, new ComponentRef(ComponentKind.Job, job), 0.6,
            $"{codes} reported by {job} with no fault on any of its GPUs within {window}: the job (or a peer it waited on), not the hardware; {Describe(jobRemedy)}, no hardware action.",
            jobRemedy, Fatal: false, at, [], [], findings)
        {
            Work = work,
        });
    }
}
