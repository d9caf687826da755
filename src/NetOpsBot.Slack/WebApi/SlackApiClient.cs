using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace NetOpsBot.Slack.WebApi;

/// <summary>
/// Slack's Web API over plain HTTP. Write methods send JSON with the bot token as a bearer header; read
/// methods send form fields (Slack does not reliably read JSON there). A 429 pauses that method for
/// <c>Retry-After</c> seconds for every caller of this client, then retries, as the official client does.
/// Tokens only ever travel in the Authorization header and never reach a log line.
/// </summary>
public sealed partial class SlackApiClient
{
    public const string HttpClientName = "NetOpsBot.Slack";
    private const int MaxRateLimitRetries = 5;
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(2);
    private readonly IHttpClientFactory _http;
    private readonly SlackOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SlackApiClient> _log;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _pausedUntil = new(StringComparer.Ordinal);

    /// <summary>One per host (singleton): the 429 pauses must be shared by every caller.</summary>
    public SlackApiClient(IHttpClientFactory http, SlackOptions options, TimeProvider time, ILogger<SlackApiClient> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _time = time;
        _log = log;
    }

    /// <summary>A write method (<c>chat.*</c>) with a JSON body.</summary>
    public Task<SlackApiResponse> CallJsonAsync(string method, JsonObject args, CancellationToken ct) =>
        SendAsync(method, () => new StringContent(args.ToJsonString(), Encoding.UTF8, "application/json"), _options.BotToken!, ct);

    /// <summary>A read method with form-encoded arguments.</summary>
    public Task<SlackApiResponse> CallFormAsync(string method, IReadOnlyDictionary<string, string> args, CancellationToken ct) =>
        SendAsync(method, () => new FormUrlEncodedContent(args), _options.BotToken!, ct);

    public async Task<SlackApiResponse> PostMessageAsync(string channel, JsonObject message, string? threadTs, CancellationToken ct)
    {
        var args = Copy(message);
        args["channel"] = channel;
        // CLI output is full of things that look like links; never unfurl them.
        args["unfurl_links"] = false;
        args["unfurl_media"] = false;
        if (threadTs is not null)
        {
            args["thread_ts"] = threadTs;
        }

        return await CallJsonAsync("chat.postMessage", args, ct).ConfigureAwait(false);
    }

    public async Task<SlackApiResponse> UpdateAsync(string channel, string ts, JsonObject message, CancellationToken ct)
    {
        var args = Copy(message);
        args["channel"] = channel;
        args["ts"] = ts;
        return await CallJsonAsync("chat.update", args, ct).ConfigureAwait(false);
    }

    public Task<SlackApiResponse> PostEphemeralAsync(string channel, string user, string text, CancellationToken ct) =>
        CallJsonAsync("chat.postEphemeral", new JsonObject { ["channel"] = channel, ["user"] = user, ["text"] = text }, ct);

    public Task<SlackApiResponse> UserInfoAsync(string user, CancellationToken ct) =>
        CallFormAsync("users.info", new Dictionary<string, string> { ["user"] = user }, ct);

    public Task<SlackApiResponse> UserGroupMembersAsync(string userGroup, CancellationToken ct) =>
        CallFormAsync("usergroups.users.list", new Dictionary<string, string> { ["usergroup"] = userGroup }, ct);

    /// <summary>Socket Mode: a one-time WebSocket URL; the app-level token goes only in the header, as Slack requires.</summary>
    public Task<SlackApiResponse> OpenConnectionAsync(CancellationToken ct) =>
        SendAsync("apps.connections.open", () => new FormUrlEncodedContent([]), _options.AppToken!, ct);

    /// <summary>
    /// Posts to a <c>response_url</c> from a verified payload (works even where the bot is not a channel
    /// member). Only Slack's hosts, or the configured API host (tests), are trusted.
    /// </summary>
    public async Task<bool> RespondAsync(string responseUrl, JsonObject message, CancellationToken ct)
    {
        if (!IsTrustedResponseUrl(responseUrl, out var uri))
        {
            LogUntrustedResponseUrl(_log);
            return false;
        }

        try
        {
            using var content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.CreateClient(HttpClientName).PostAsync(uri, content, ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                LogResponseUrlFailed(_log, (int)response.StatusCode);
            }

            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogResponseUrlError(_log, ex.GetType().Name);
            return false;
        }
    }

    internal bool IsTrustedResponseUrl(string? url, out Uri uri)
    {
        uri = null!;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return false;
        }

        var api = _options.ApiBase;
        var slack = parsed.Scheme == Uri.UriSchemeHttps && (parsed.Host == "hooks.slack.com" || parsed.Host.EndsWith(".slack.com", StringComparison.OrdinalIgnoreCase));
        var configured = parsed.Scheme == api.Scheme && string.Equals(parsed.Host, api.Host, StringComparison.OrdinalIgnoreCase) && parsed.Port == api.Port;
        uri = parsed;
        return slack || configured;
    }

    private async Task<SlackApiResponse> SendAsync(string method, Func<HttpContent> content, string token, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            await WaitWhilePausedAsync(method, ct).ConfigureAwait(false);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_options.ApiBase, method)) { Content = content() };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await _http.CreateClient(HttpClientName).SendAsync(request, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                LogCallFailed(_log, method, ex.GetType().Name);
                return SlackApiResponse.Failed("request_failed");
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                LogCallFailed(_log, method, "timeout");
                return SlackApiResponse.Failed("request_timeout");
            }

            using (response)
            {
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryAfter(response);
                    var until = _time.GetUtcNow() + wait;
                    _pausedUntil.AddOrUpdate(method, until, (_, old) => old > until ? old : until);
                    LogRateLimited(_log, method, wait.TotalSeconds, attempt + 1);
                    if (attempt + 1 >= MaxRateLimitRetries)
                    {
                        return SlackApiResponse.Failed("rate_limited");
                    }

                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    LogCallFailed(_log, method, "http " + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                    return SlackApiResponse.Failed("http_" + ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
                }

                JsonObject? body;
                try
                {
                    body = await JsonSerializer.DeserializeAsync<JsonObject>(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), cancellationToken: ct).ConfigureAwait(false);
                }
                catch (JsonException)
                {
                    body = null;
                }

                if (body is null)
                {
                    LogCallFailed(_log, method, "not JSON");
                    return SlackApiResponse.Failed("invalid_response");
                }

                var ok = body["ok"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
                var error = ok ? null : (body["error"] is JsonValue e && e.TryGetValue<string>(out var s) ? s : "unknown_error");
                if (!ok)
                {
                    LogSlackError(_log, method, error!);
                }

                return new SlackApiResponse(ok, error, body);
            }
        }
    }

    private async Task WaitWhilePausedAsync(string method, CancellationToken ct)
    {
        if (_pausedUntil.TryGetValue(method, out var until))
        {
            var wait = until - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }
        }
    }

    private static TimeSpan RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? TimeSpan.FromSeconds(1);
        return wait <= TimeSpan.Zero ? TimeSpan.FromSeconds(1) : wait > MaxRetryAfter ? MaxRetryAfter : wait;
    }

    private static JsonObject Copy(JsonObject message) => (JsonObject)message.DeepClone();

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: {Method} rate limited, waiting {Seconds} s (attempt {Attempt})")]
    private static partial void LogRateLimited(ILogger log, string method, double seconds, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: {Method} answered ok=false: {Error}")]
    private static partial void LogSlackError(ILogger log, string method, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: {Method} failed: {Reason}")]
    private static partial void LogCallFailed(ILogger log, string method, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: a response_url that is not Slack's was ignored")]
    private static partial void LogUntrustedResponseUrl(ILogger log);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: response_url answered HTTP {Status}")]
    private static partial void LogResponseUrlFailed(ILogger log, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: response_url post failed: {Reason}")]
    private static partial void LogResponseUrlError(ILogger log, string reason);
}
