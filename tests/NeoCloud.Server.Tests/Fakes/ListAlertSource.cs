using NeoCloud.Reliability.Alerting;
using NeoCloud.Reliability.Sources;

namespace NeoCloud.Server.Tests.Fakes;

/// <summary>An alert source that reports whatever alerts a test put in it (an SLO source, say).</summary>
public sealed class ListAlertSource : IAlertSource
{
    private volatile Alert[] _alerts = [];

    public void Set(params Alert[] alerts) => _alerts = alerts;

    public IReadOnlyList<Alert> Alerts(DateTimeOffset now) => _alerts;
}
