using System.Net;

namespace NeoCloud.Reliability.Tests.Notifications;

/// <summary>A webhook receiver that answers from a script (the last answer repeats) and records what it was sent.</summary>
internal sealed class ScriptedReceiver(params HttpStatusCode[] answers) : HttpMessageHandler
{
    public List<string> Bodies { get; } = [];

    public List<string> IdempotencyKeys { get; } = [];

    public int Calls => Bodies.Count;

    /// <summary>Never answers, as a hung receiver: only the request's cancellation ends the call.</summary>
    public bool Hang { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Bodies.Add(await request.Content!.ReadAsStringAsync(cancellationToken));
        IdempotencyKeys.Add(request.Headers.GetValues("Idempotency-Key").Single());
        if (Hang)
        {
            // Off the test's synchronization context: the cancellation comes from the test thread advancing virtual time.
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }

        var code = answers.Length == 0 ? HttpStatusCode.OK : answers[Math.Min(Calls - 1, answers.Length - 1)];
        var response = new HttpResponseMessage(code);
        if (RetryAfter is { } delay)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        }

        return response;
    }
}
