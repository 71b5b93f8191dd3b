namespace NeoCloud.Server.Tests.Fakes;

/// <summary>
/// Waits for an SLI count that the API middleware records after the response has gone out (in its <c>finally</c>), so a
/// test that reads it right after the answer can race it. Gives up after 5 s; the assertion that follows then fails.
/// </summary>
internal static class SliWait
{
    public static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }
}
