using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Logging;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace NetOpsBot.Host;

/// <summary>
/// Capability URLs out of traces and logs. A Slack <c>response_url</c> or slash-command hook, a Teams incoming
/// webhook and a Bot Connector conversation path are bearer secrets in themselves: whoever reads the URL can post
/// as the bot. Query strings can carry tokens anywhere.
/// </summary>
internal static partial class UrlRedactor
{
    public const string Marker = "<redacted>";

    /// <summary>Hosts whose path after the first segment is a capability (hooks.slack.com/actions/T…/…/token).</summary>
    private static readonly string[] CapabilityHosts = ["hooks.slack.com", "hooks.slack-gov.com", "webhook.office.com", "outlook.office.com", "outlook.office365.com"];

    /// <summary>
    /// The URL with its query, fragment and user info replaced, and every path segment that is not a plain word
    /// (ids, tokens, GUIDs, Bot Connector conversation ids) replaced; on capability hosts everything after the
    /// first segment goes. Text that is not an absolute URL is returned without its query.
    /// </summary>
    public static string Redact(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return url ?? string.Empty;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.Scheme is "http" or "https"))
        {
            var q = url.IndexOfAny(['?', '#']);
            return q < 0 ? url : url[..q] + "?" + Marker;
        }

        var sb = new StringBuilder().Append(uri.Scheme).Append("://");
        if (uri.UserInfo.Length > 0)
        {
            sb.Append(Marker).Append('@');
        }

        sb.Append(uri.Authority);
        sb.Append(RedactPath(uri.AbsolutePath, IsCapabilityHost(uri.Host)));
        if (uri.Query.Length > 1 || uri.Fragment.Length > 1)
        {
            sb.Append('?').Append(Marker);
        }

        return sb.ToString();
    }

    /// <summary>A URL path with every segment that is not a plain word replaced (all but the first on a capability host).</summary>
    public static string RedactPath(string path, bool capability = false)
    {
        var segments = path.Split('?', '#')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
        {
            return "/";
        }

        var sb = new StringBuilder();
        for (var i = 0; i < segments.Length; i++)
        {
            sb.Append('/').Append((capability ? i == 0 : PlainWord().IsMatch(segments[i])) ? segments[i] : Marker);
        }

        return sb.ToString();
    }

    /// <summary>Redacts the URL tags of a finished span: client spans (HttpClient) and server spans (ASP.NET Core) alike.</summary>
    public static void RedactTags(Activity activity)
    {
        foreach (var tag in new[] { "url.full", "http.url" })
        {
            if (activity.GetTagItem(tag) is string full)
            {
                activity.SetTag(tag, Redact(full));
            }
        }

        if (activity.GetTagItem("url.query") is string { Length: > 0 })
        {
            activity.SetTag("url.query", Marker);
        }

        // A client span's path can be a capability too (server spans carry our own routes, which are not).
        if (activity.Kind == ActivityKind.Client && activity.GetTagItem("url.path") is string path)
        {
            var host = activity.GetTagItem("server.address") as string ?? string.Empty;
            activity.SetTag("url.path", RedactPath(path, IsCapabilityHost(host)));
        }
    }

    private static bool IsCapabilityHost(string host) =>
        CapabilityHosts.Any(h => host.Equals(h, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + h, StringComparison.OrdinalIgnoreCase));

    // API method names, version segments and fixed words stay readable: /api/chat.postMessage, /v3/conversations, /v1.0/users.
    [GeneratedRegex(@"^(?:[A-Za-z][A-Za-z._-]{0,31}[0-9]?|v[0-9]+(?:\.[0-9]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainWord();
}

/// <summary>Runs before the exporter: no span leaves the process with a capability URL in it.</summary>
internal sealed class UrlRedactingProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data) => UrlRedactor.RedactTags(data);
}

/// <summary>
/// The one HttpClient log line kept (request outcome, at Debug), with the URL redacted. The default loggers of
/// Microsoft.Extensions.Http write the full request URI at Information, response_url included.
/// </summary>
internal sealed partial class RedactingHttpClientLogger(ILogger<RedactingHttpClientLogger> logger) : IHttpClientLogger
{
    public object? LogRequestStart(HttpRequestMessage request) => null;

    public void LogRequestStop(object? context, HttpRequestMessage request, HttpResponseMessage response, TimeSpan elapsed) =>
        Stop(logger, request.Method.Method, UrlRedactor.Redact(request.RequestUri?.ToString()), (int)response.StatusCode, (long)elapsed.TotalMilliseconds);

    public void LogRequestFailed(object? context, HttpRequestMessage request, HttpResponseMessage? response, Exception exception, TimeSpan elapsed) =>
        Failed(logger, request.Method.Method, UrlRedactor.Redact(request.RequestUri?.ToString()), exception.GetType().Name, (long)elapsed.TotalMilliseconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Url} answered {Status} in {Ms} ms")]
    private static partial void Stop(ILogger logger, string method, string url, int status, long ms);

    [LoggerMessage(Level = LogLevel.Debug, Message = "HTTP {Method} {Url} failed ({Reason}) after {Ms} ms")]
    private static partial void Failed(ILogger logger, string method, string url, string reason, long ms);
}

internal static class TelemetryRedaction
{
    /// <summary>HttpClient spans, with URL tags redacted before any exporter added after this call sees them.</summary>
    public static TracerProviderBuilder AddRedactedHttpClientInstrumentation(this TracerProviderBuilder tracing) =>
        tracing.AddHttpClientInstrumentation().AddProcessor(new UrlRedactingProcessor());

    /// <summary>Every IHttpClientFactory client logs through <see cref="RedactingHttpClientLogger"/> only.</summary>
    public static IServiceCollection AddRedactedHttpClientLogging(this IServiceCollection services)
    {
        services.TryAddSingleton<RedactingHttpClientLogger>();
        return services.ConfigureHttpClientDefaults(b => b.RemoveAllLoggers().AddLogger<RedactingHttpClientLogger>());
    }
}
