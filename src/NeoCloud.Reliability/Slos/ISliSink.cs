namespace NeoCloud.Reliability.Slos;

/// <summary>
/// Takes service-level indicator events as they happen (a request served, a job that started): <paramref name="good"/>
/// of <paramref name="total"/> events of one SLI, for one tenant or for the region (null), at one instant.
/// </summary>
public interface ISliSink
{
    void Record(string sli, string? tenant, DateTimeOffset at, long good, long total);
}
