using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Teams.Tests.Infrastructure;
using static NetOpsBot.Teams.Tests.Infrastructure.TeamsActivities;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// <c>/api/messages</c> of the real host process with real signed JWTs: accepted ones are answered through the
/// (fake) Bot Connector with the token the bot got from the (fake) Entra; every refused one gets 401 and a log line
/// naming the reason, opens no incident and sends nothing. Connector 429 and 5xx answers are retried.
/// </summary>
[Collection(TeamsHostGroup.Name)]
public sealed class HostProtocolTests(TeamsHostFixture fx)
{
    [Fact]
    public async Task ValidChannelToken_HelpIsAnsweredThroughTheConnector_WithTheBotsOwnEntraToken()
    {
        var conversation = "a:help-" + Guid.NewGuid().ToString("N");
        var activity = PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag help", Alice);
        using var response = await TeamsHostFixture.PostAsync(fx.Host, activity, fx.ValidToken().Create());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var reply = await fx.Connector.WaitForAsync(c => c.ConversationId == conversation, TimeSpan.FromSeconds(15), "the help reply");
        Assert.Equal(201, reply.Status);
        Assert.Equal("POST", reply.Method);
        Assert.Equal($"/v3/conversations/{conversation}/activities/{(string)activity["id"]!}", reply.Path);
        Assert.True(fx.Entra.IssuedFor(reply.Bearer, FakeEntra.BotFrameworkScope), "the connector call did not carry a token the fake Entra issued for the Bot Framework");
        Assert.Equal("message", (string?)reply.Body?["type"]);
        Assert.Equal((string)activity["id"]!, (string?)reply.Body?["replyToId"]);
        Assert.Contains("sshdiag DEVICE", (string?)reply.Body?["text"], StringComparison.Ordinal);

        // MSAL went straight to the configured authority's token endpoint: no instance discovery at the public cloud.
        Assert.Contains($"POST /{TestIds.TenantId}/oauth2/v2.0/token", fx.Entra.Requests);
        Assert.DoesNotContain(fx.Entra.Requests, r => r.Contains("discovery", StringComparison.Ordinal));
        Assert.Equal(0, await TeamsHostFixture.IncidentCountAsync(fx.Host));
        AssertNoSecretsLogged();

        // With authentication fully on, the health endpoint has nothing to warn about.
        using var http = fx.Host.Client();
        Assert.Equal("ok", await http.GetStringAsync(new Uri("/healthz", UriKind.Relative)));
    }

    [Fact]
    public async Task ValidEntraToken_OfTheBotsTenant_IsAcceptedToo()
    {
        var conversation = "a:entra-" + Guid.NewGuid().ToString("N");
        var token = fx.EntraToken().Create();
        using var response = await TeamsHostFixture.PostAsync(fx.Host, PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag help", Carol), token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var reply = await fx.Connector.WaitForAsync(c => c.ConversationId == conversation, TimeSpan.FromSeconds(15), "the help reply");
        Assert.Equal(201, reply.Status);
        Assert.True(fx.Entra.IssuedFor(reply.Bearer, FakeEntra.BotFrameworkScope));
    }

    public static TheoryData<string, string> RefusedCases => new()
    {
        { "no token", "no Authorization header" },
        { "wrong issuer", "issuer not accepted: 'https://login.botframework.example/'" },
        { "wrong audience", "audience is not this bot's app id" },
        { "forged signature", "signature invalid" },
        { "expired", "token expired" },
        { "serviceUrl mismatch", "does not match the activity's serviceUrl" },
        { "key not endorsed for msteams", "is not endorsed for channel 'msteams'" },
        { "key without endorsements", "is not endorsed for channel 'msteams'" },
        { "activity without channelId", "activity has no channelId" },
        { "Entra token of another tenant", "issuer not accepted" },
        { "Entra token, serviceUrl off the allow-list", "serviceUrl 'https://connector.attacker.example/' is not on Teams:ServiceUrlAllowList" },
        { "Entra token, serviceUrl on another port of an allowed host", "is not on Teams:ServiceUrlAllowList" },
        { "valid token, another tenant in channelData", "channelData.tenant.id '11111111-1111-1111-1111-111111111111' is not Teams:TenantId" },
        { "valid token, no tenant in channelData", "channelData.tenant.id '(none)' is not Teams:TenantId" },
    };

    [Theory]
    [MemberData(nameof(RefusedCases))]
    public async Task BadToken_401_LoggedWithItsReason_NoIncident_NothingSent(string @case, string reason)
    {
        var conversation = "a:refused-" + Guid.NewGuid().ToString("N");
        var serviceUrl = @case switch
        {
            "Entra token, serviceUrl off the allow-list" => "https://connector.attacker.example/",
            "Entra token, serviceUrl on another port of an allowed host" => new UriBuilder(fx.Connector.ServiceUrl) { Port = new Uri(fx.Connector.ServiceUrl).Port + 1 }.Uri.ToString(),
            _ => fx.Connector.ServiceUrl,
        };
        var activity = PersonalMessage(serviceUrl, conversation, "sshdiag sw-access-12", Alice, channelId: @case == "activity without channelId" ? null : "msteams");
        if (@case == "valid token, another tenant in channelData")
        {
            activity["channelData"]!["tenant"]!["id"] = "11111111-1111-1111-1111-111111111111";
            activity["conversation"]!["tenantId"] = "11111111-1111-1111-1111-111111111111";
        }
        else if (@case == "valid token, no tenant in channelData")
        {
            activity.Remove("channelData");
        }

        using var attacker = new SigningKey(fx.TeamsKey.Kid, "msteams");
        var token = @case switch
        {
            "no token" => null,
            "wrong issuer" => (fx.ValidToken() with { Issuer = "https://login.botframework.example/" }).Create(),
            "wrong audience" => (fx.ValidToken() with { Audience = "11111111-2222-3333-4444-555555555555" }).Create(),
            "forged signature" => (fx.ValidToken() with { SignWith = attacker }).Create(),
            "expired" => (fx.ValidToken() with { NotBeforeOffset = TimeSpan.FromHours(-2), ExpiresIn = TimeSpan.FromMinutes(-6) }).Create(),
            "serviceUrl mismatch" => (fx.ValidToken() with { ServiceUrl = "https://smba.trafficmanager.net/amer/" }).Create(),
            "key not endorsed for msteams" => (fx.ValidToken() with { Key = fx.WebchatOnlyKey }).Create(),
            "key without endorsements" => (fx.ValidToken() with { Key = fx.BareKey }).Create(),
            "activity without channelId" => fx.ValidToken().Create(),
            "Entra token of another tenant" => (fx.ValidToken() with
            {
                Issuer = "https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0",
                ServiceUrl = null,
                Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId, ["tid"] = "11111111-1111-1111-1111-111111111111" },
            }).Create(),
            "Entra token, serviceUrl off the allow-list" or "Entra token, serviceUrl on another port of an allowed host" => fx.EntraToken().Create(),
            "valid token, another tenant in channelData" or "valid token, no tenant in channelData" => fx.ValidToken().Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        var mark = fx.Host.Log.Length;
        using var response = await TeamsHostFixture.PostAsync(fx.Host, activity, token);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        // Without a token the body is not even read: the log line names no activity.
        var (shownType, shownId) = token is null ? ("(unread)", "(unread)") : ("message", (string)activity["id"]!);
        var refused = new Regex("refused \\W{0,3}" + Regex.Escape(shownType) + "\\W{0,3} activity \\W{0,3}" + Regex.Escape(shownId) + "\\W{0,3} with 401: \\W{0,3}[^\\n]*" + Regex.Escape(reason));
        await TeamsHostFixture.WaitForLogAsync(fx.Host, refused, mark);

        // Accepted, this activity would have opened an incident on sw-access-12 (it does on the approval host).
        Assert.Equal(0, await TeamsHostFixture.IncidentCountAsync(fx.Host));
        await Task.Delay(300);
        Assert.Empty(fx.Connector.CallsFor(conversation));
        Assert.DoesNotContain(fx.Connector.Calls, c => c.Path.Contains(conversation, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReplayedActivity_SameTokenAndBody_Is401_AndRunsOnce()
    {
        var conversation = "a:replay-" + Guid.NewGuid().ToString("N");
        var activity = PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag help", Bob);
        var token = fx.ValidToken().Create();
        using (var first = await TeamsHostFixture.PostAsync(fx.Host, activity, token))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        var mark = fx.Host.Log.Length;
        using (var replay = await TeamsHostFixture.PostAsync(fx.Host, activity, token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        }

        await TeamsHostFixture.WaitForLogAsync(fx.Host, new Regex("refused \\W{0,3}message\\W{0,3} activity \\W{0,3}" + Regex.Escape((string)activity["id"]!) + "\\W{0,3} with 401: \\W{0,3}activity id already received \\(replay\\)"), mark);
        await fx.Connector.WaitForAsync(c => c.ConversationId == conversation, TimeSpan.FromSeconds(15), "the first help reply");
        await Task.Delay(500);
        Assert.Single(fx.Connector.CallsFor(conversation));
        Assert.Equal(0, await TeamsHostFixture.IncidentCountAsync(fx.Host));
    }

    [Fact]
    public async Task HostStart_PartialTeamsSection_StopsNamingTheKey_AndWithoutTeamsSectionApiMessagesIsNotServed()
    {
        const string secret = "partial-teams-secret-value";
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Host.Tests.HostProcess.StartAsync(fx.Lab.RunDirectory, Path.Combine(fx.Lab.WorkDirectory, "partial-teams.db"), new Dictionary<string, string>
        {
            ["Teams__AppId"] = TestIds.AppId,
            ["Teams__ClientSecret"] = secret,
        }));
        Assert.Contains("Teams:AppType is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);

        // No Teams section: the endpoint does not exist, so nothing can reach a check that might be off.
        await using var plain = await Host.Tests.HostProcess.StartAsync(fx.Lab.RunDirectory, Path.Combine(fx.Lab.WorkDirectory, "no-teams.db"));
        using var http = plain.Client();
        var activity = PersonalMessage(fx.Connector.ServiceUrl, "a:no-teams", "sshdiag sw-access-12", Bob);
        using var content = new StringContent(activity.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/api/messages", content)).StatusCode);
        Assert.Equal(0, await TeamsHostFixture.IncidentCountAsync(plain));
    }

    [Fact]
    public async Task MessageWithoutActivityId_ValidToken_Is401_AndRunsNothing()
    {
        var conversation = "a:no-id-" + Guid.NewGuid().ToString("N");
        var activity = PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag sw-access-12", Bob);
        activity.Remove("id");
        var mark = fx.Host.Log.Length;
        using (var response = await TeamsHostFixture.PostAsync(fx.Host, activity, fx.ValidToken().Create()))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        await TeamsHostFixture.WaitForLogAsync(fx.Host, new Regex("with 401: \\W{0,3}message or invoke without an activity id"), mark);
        await Task.Delay(500);
        Assert.Empty(fx.Connector.CallsFor(conversation));
        Assert.Equal(0, await TeamsHostFixture.IncidentCountAsync(fx.Host));
    }

    [Fact]
    public async Task Connector429_WithRetryAfter_IsRetriedAfterThatWait()
    {
        var conversation = "a:throttled-" + Guid.NewGuid().ToString("N");
        fx.Connector.FailNext((_, path) => path.Contains(conversation, StringComparison.Ordinal), 429, retryAfterSeconds: 2);
        var mark = fx.Host.Log.Length;
        using var response = await TeamsHostFixture.PostAsync(fx.Host, PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag help", Alice), fx.ValidToken().Create());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await fx.Connector.WaitForAsync(c => c.ConversationId == conversation && c.Status == 201, TimeSpan.FromSeconds(20), "the retried reply");
        var calls = fx.Connector.CallsFor(conversation);
        Assert.Equal([429, 201], calls.Select(c => c.Status));

        // Retry-After (2 s) wins over the configured 0.2 s backoff.
        var waited = calls[1].AtMs - calls[0].AtMs;
        Assert.True(waited >= 1_900, $"retried after {waited} ms, Retry-After said 2 s");
        Assert.True(waited < 5_000, $"retried after {waited} ms");
        Assert.Equal(calls[0].Bearer, calls[1].Bearer);
        Assert.Equal(calls[0].Body?.ToJsonString(), calls[1].Body?.ToJsonString());
        await TeamsHostFixture.WaitForLogAsync(fx.Host, new Regex("connector call answered \\W{0,3}429\\W{0,3}; retry \\W{0,3}1\\W{0,3} in \\W{0,3}2000\\W{0,3} ms"), mark);
    }

    [Fact]
    public async Task Connector5xx_IsRetriedWithBackoff_UntilItSucceeds()
    {
        var conversation = "a:flaky-" + Guid.NewGuid().ToString("N");
        fx.Connector.FailNext((_, path) => path.Contains(conversation, StringComparison.Ordinal), 503);
        fx.Connector.FailNext((_, path) => path.Contains(conversation, StringComparison.Ordinal), 502);
        var mark = fx.Host.Log.Length;
        using var response = await TeamsHostFixture.PostAsync(fx.Host, PersonalMessage(fx.Connector.ServiceUrl, conversation, "sshdiag help", Alice), fx.ValidToken().Create());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await fx.Connector.WaitForAsync(c => c.ConversationId == conversation && c.Status == 201, TimeSpan.FromSeconds(20), "the reply after two failures");
        var calls = fx.Connector.CallsFor(conversation);
        Assert.Equal([503, 502, 201], calls.Select(c => c.Status));

        // The pipeline logs the (jittered, exponential) delay it chose; the fake saw at least that much between tries.
        var first = await TeamsHostFixture.WaitForLogAsync(fx.Host, new Regex("connector call answered \\W{0,3}503\\W{0,3}; retry \\W{0,3}1\\W{0,3} in \\W{0,3}(\\d+)\\W{0,3} ms"), mark);
        var second = await TeamsHostFixture.WaitForLogAsync(fx.Host, new Regex("connector call answered \\W{0,3}502\\W{0,3}; retry \\W{0,3}2\\W{0,3} in \\W{0,3}(\\d+)\\W{0,3} ms"), mark);
        var planned = new[] { int.Parse(first.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(second.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) };
        for (var i = 0; i < 2; i++)
        {
            var waited = calls[i + 1].AtMs - calls[i].AtMs;
            Assert.True(waited >= planned[i] - 20, $"try {i + 2} came {waited} ms after try {i + 1}; the pipeline planned {planned[i]} ms");
        }

        Assert.All(calls, c => Assert.Equal(calls[0].Bearer, c.Bearer));
    }

    private void AssertNoSecretsLogged()
    {
        var log = fx.Host.Log;
        Assert.DoesNotContain(fx.ClientSecret, log, StringComparison.Ordinal);
        Assert.DoesNotContain(fx.Entra.Issued.Keys, log.Contains);
    }
}
