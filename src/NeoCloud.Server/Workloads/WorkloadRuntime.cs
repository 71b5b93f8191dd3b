using NeoCloud.Scheduling.Gangs;
using NeoCloud.Simulator.Execution;
using NeoCloud.Workloads.Control;

namespace NeoCloud.Server.Workloads;

/// <summary>The host's job-flow singletons: the placer over the fleet, the controller, and the twin's executor when it runs jobs.</summary>
public sealed record WorkloadRuntime(TopologyGangPlacer Placer, JobController Controller, TwinExecutor? TwinExecutor);
