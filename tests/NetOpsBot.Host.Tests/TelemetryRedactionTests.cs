using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NetOpsBot.Testing;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace NetOpsBot.Host.Tests;

/// <summary>Issue 13 item 7: Slack/Teams/Graph capability URLs and query strings stay out of spans and logs.</summary>
public sealed class TelemetryRedactionTests
{
    private const string ResponseUrl = "https://hooks.slack.com/actions/T0AAAAAAA/1234567890123/ZxYwVuTsRqPoNmLkJiHgFeDc";

    [Theory]
    [InlineData(ResponseUrl, "https://hooks.slack.com/actions/<redacted>/<redacted>/<redacted>")]
    [InlineData("https://hooks.slack.com/commands/T0AAAAAAA/1234567890/AbCdEfGhIjKlMnOpQrStUvWx", "https://hooks.slack.com/commands/<redacted>/<redacted>/<redacted>")]
    [InlineData("https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/AbCdEfGhIjKlMnOpQrStUvWx", "https://hooks.slack.com/services/<redacted>/<redacted>/<redacted>")]
    [InlineData("https://slack.com/api/chat.postMessage", "https://slack.com/api/chat.postMessage")]
    [InlineData("https://slack.com/api/conversations.history?channel=C0123&token=xoxb-1-2-abc", "https://slack.com/api/conversations.history?<redacted>")]
    [InlineData("https://smba.trafficmanager.net/amer/v3/conversations/19%3Aabcdef0123456789%40thread.tacv2%3Bmessageid%3D1700000000000/activities/1700000000001",
        "https://smba.trafficmanager.net/amer/v3/conversations/<redacted>/activities/<redacted>")]
    [InlineData("https://contoso.webhook.office.com/webhookb2/0d5d2a3c-1111-2222-3333-444455556666@72f988bf-86f1-41af-91ab-2d7cd011db47/IncomingWebhook/0123abcd/8e1f",
        "https://contoso.webhook.office.com/webhookb2/<redacted>/<redacted>/<redacted>/<redacted>")]
    [InlineData("https://graph.microsoft.com/v1.0/groups/0d5d2a3c-1111-2222-3333-444455556666/transitiveMembers?$select=id",
        "https://graph.microsoft.com/v1.0/groups/<redacted>/transitiveMembers?<redacted>")]
    [InlineData("https://user:pa55@example.com:8443/a/b#frag", "https://<redacted>@example.com:8443/a/b?<redacted>")]
    public void Url_LosesCapabilitiesAndQuery(string url, string expected) =>
        Assert.Equal(expected, UrlRedactor.Redact(url));

    [Fact]
    public async Task HttpClientSpan_ExportedWithoutTheResponseUrlToken()
    {
        var exported = new List<Activity>();
        using (var tracing = Sdk.CreateTracerProviderBuilder()
            .AddRedactedHttpClientInstrumentation()
            .AddInMemoryExporter(exported)
            .Build())
        {
            await SendWithoutNetworkAsync(new HttpClient(NoNetwork(), disposeHandler: true), ResponseUrl + "?thread=1");
        }

        var span = Assert.Single(exported, a => a.Kind == ActivityKind.Client);
        var tags = string.Join("\n", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
        Assert.Contains("url.full=https://hooks.slack.com/actions/<redacted>", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("ZxYwVuTsRqPoNmLkJiHgFeDc", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("1234567890123", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("thread=1", tags, StringComparison.Ordinal);
        Assert.DoesNotContain("ZxYwVuTsRqPoNmLkJiHgFeDc", span.DisplayName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HttpClientFactoryLogs_CarryNoCapabilityUrl()
    {
        var log = new CapturingLogger();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(log.AsProvider()));
        services.AddRedactedHttpClientLogging();
        services.AddHttpClient("any").ConfigurePrimaryHttpMessageHandler(NoNetwork);
        await using var provider = services.BuildServiceProvider();

        await SendWithoutNetworkAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient("any"), ResponseUrl);
        await SendWithoutNetworkAsync(provider.GetRequiredService<IHttpClientFactory>().CreateClient(), ResponseUrl);

        Assert.Contains(log.Lines, l => l.Contains("hooks.slack.com/actions/<redacted>", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Lines, l => l.Contains("ZxYwVuTsRqPoNmLkJiHgFeDc", StringComparison.Ordinal) || l.Contains("T0AAAAAAA", StringComparison.Ordinal));
    }

    // No network here: the connection fails at once, after the span and the log scope have the URL.
    private static SocketsHttpHandler NoNetwork() => new() { ConnectCallback = (_, _) => throw new HttpRequestException("no network in this test") };

    private static async Task SendWithoutNetworkAsync(HttpClient http, string url)
    {
        using (http)
        {
            await Assert.ThrowsAsync<HttpRequestException>(() => http.PostAsync(new Uri(url), new StringContent("{}")));
        }
    }
}
