using System.Net.Http.Headers;

namespace NeoCloud.Reliability.Notifications;

/// <summary>
/// Sends notifications to one webhook receiver in Alertmanager's payload format: each HTTP attempt under its own
/// timeout, transient failures retried with doubling backoff, and the same notification state sent once.
/// </summary>
public sealed class WebhookNotifier
{
    private readonly HttpClient _http;
    private readonly WebhookNotifierOptions _options;
    private readonly TimeProvider _clock;
    private readonly DeliveryLedger _ledger;

    public WebhookNotifier(HttpClient http, WebhookNotifierOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        options.Validate();
        _http = http;
        _options = options;
        _clock = clock;
        _ledger = new DeliveryLedger(options.DeduplicationWindow, options.DeduplicationCapacity);
    }

    public async Task<WebhookDelivery> SendAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        string key = DeliveryKey.Of(message);
        if (!_ledger.TryReserve(key, _clock.GetUtcNow()))
        {
            return new WebhookDelivery(DeliveryOutcome.Duplicate, 0, null, null, key);
        }

        bool sent = false;
        try
        {
            byte[] body = AlertmanagerPayload.Serialize(message, _options.ExternalUrl, _options.MaxAlerts);
            for (int attempt = 1; ; attempt++)
            {
                var result = await AttemptAsync(body, key, cancellationToken).ConfigureAwait(false);
                if (result.Success)
                {
                    sent = true;
                    return new WebhookDelivery(DeliveryOutcome.Sent, attempt, result.StatusCode, null, key);
                }

                if (!result.Retryable)
                {
                    return new WebhookDelivery(DeliveryOutcome.Rejected, attempt, result.StatusCode, result.Error, key);
                }

                if (attempt >= _options.MaxAttempts)
                {
                    return new WebhookDelivery(DeliveryOutcome.GaveUp, attempt, result.StatusCode, result.Error, key);
                }

                // A receiver that says when to come back (429/503 Retry-After) is believed, within the backoff cap.
                var delay = _options.BackoffBefore(attempt);
                if (result.RetryAfter is { } asked && asked > delay)
                {
                    delay = asked < _options.MaxBackoff ? asked : _options.MaxBackoff;
                }

                await Task.Delay(delay, _clock, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (sent)
            {
                _ledger.Commit(key, _clock.GetUtcNow());
            }
            else
            {
                _ledger.Release(key);
            }
        }
    }

    private async Task<AttemptResult> AttemptAsync(byte[] body, string key, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            int code = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new AttemptResult(true, false, code, null, null);
            }

            // 408 and 429 are the receiver asking to try later; any other 4xx means the request itself is wrong.
            bool retryable = code >= 500 || code is 408 or 429;
            return new AttemptResult(false, retryable, code, response.ReasonPhrase, response.Headers.RetryAfter?.Delta);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, true, null, $"no answer within {_options.RequestTimeout}", null);
        }
        catch (HttpRequestException ex)
        {
            return new AttemptResult(false, true, null, ex.Message, null);
        }
    }

    private readonly record struct AttemptResult(bool Success, bool Retryable, int? StatusCode, string? Error, TimeSpan? RetryAfter);
}
