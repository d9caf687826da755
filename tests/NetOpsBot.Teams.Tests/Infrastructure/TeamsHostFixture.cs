using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NetOpsBot.Host.Tests;

namespace NetOpsBot.Teams.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class TeamsHostGroup : ICollectionFixture<TeamsHostFixture>
{
    public const string Name = "teams-host";
}

/// <summary>
/// The real host process configured as a SingleTenant Teams bot against clouds made by the test, all on loopback:
/// a local Bot Framework OpenID issuer with endorsed keys (inbound JWTs), a fake Entra token endpoint over https
/// with a throwaway certificate (the bot's own tokens, through Azure.Identity and <c>Teams:AuthorityHost</c>), a
/// fake Bot Connector (the activities' serviceUrl) and a fake Microsoft Graph (the approver group). Two hosts share
/// one seed-case lab: <see cref="Host"/> only ever gets refused activities and help (its incident list must stay
/// empty), <see cref="ApprovalHost"/> runs a diagnosis and approvals.
/// </summary>
public sealed class TeamsHostFixture : IAsyncLifetime
{
    public const string ApproverGroupId = "7e5f0c4a-1b2c-4d3e-8f90-a1b2c3d4e5f6";

    /// <summary>The bot's client secret for this run (random: a leak into a log would be found, not guessed).</summary>
    public const string AlertToken = "teams-route-alert-token-0123456789";

    public const string AlertChannel = "19:alerts-route@thread.tacv2";

    public string ClientSecret { get; } = "netopsbot-test-secret-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    internal SigningKey TeamsKey { get; } = new("key-teams", "msteams", "webchat");

    internal SigningKey WebchatOnlyKey { get; } = new("key-webchat", "webchat");

    internal SigningKey BareKey { get; } = new("key-bare");

    internal LocalIssuer Issuer { get; private set; } = null!;

    internal FakeEntra Entra { get; private set; } = null!;

    internal FakeConnector Connector { get; private set; } = null!;

    internal FakeGraph Graph { get; private set; } = null!;

    internal TestLab Lab { get; private set; } = null!;

    internal HostProcess Host { get; private set; } = null!;

    internal HostProcess ApprovalHost { get; private set; } = null!;

    private string _work = null!;

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("netopsbot-teams-host-").FullName;
        var labTask = TestLab.StartAsync("seed-case");
        Issuer = await LocalIssuer.StartAsync(TeamsKey, WebchatOnlyKey, BareKey);
        Entra = await FakeEntra.StartAsync(TestIds.TenantId, TestIds.AppId, ClientSecret);
        Connector = await FakeConnector.StartAsync(token => Entra.IssuedFor(token, FakeEntra.BotFrameworkScope));
        Graph = await FakeGraph.StartAsync(Entra.IssuedFor);
        Lab = await labTask;
        var hosts = await Task.WhenAll(
            HostProcess.StartAsync(Lab.RunDirectory, Path.Combine(Lab.WorkDirectory, "auth.db"), Settings()),
            HostProcess.StartAsync(Lab.RunDirectory, Path.Combine(Lab.WorkDirectory, "approval.db"), Settings()));
        Host = hosts[0];
        ApprovalHost = hosts[1];
    }

    internal Dictionary<string, string> Settings() => new()
    {
        ["Teams__AppId"] = TestIds.AppId,
        ["Teams__AppType"] = "SingleTenant",
        ["Teams__TenantId"] = TestIds.TenantId,
        ["Teams__ClientSecret"] = ClientSecret,
        ["Teams__AuthorityHost"] = Entra.AuthorityHost.ToString(),
        ["Teams__OpenIdMetadataUrl"] = Issuer.MetadataUrl,
        ["Teams__EntraOpenIdMetadataUrl"] = Issuer.EntraMetadataUrl,
        ["Teams__ApproverGroupId"] = ApproverGroupId,
        ["Teams__GraphBaseUrl"] = Graph.BaseUrl,
        ["Teams__ServiceUrlAllowList__0"] = Connector.ServiceUrl,
        ["Teams__ConnectorRetries"] = "3",
        ["Teams__ConnectorRetryDelaySeconds"] = "0.2",
        ["Teams__CardUpdateIntervalSeconds"] = "0.3",
        ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
        // Alerts labelled team=netops go to a Teams channel (TeamsAlertRouteTests, on ApprovalHost: Host must stay without incidents).
        ["NetOps__Alerts__Alertmanager__BearerToken"] = AlertToken,
        ["NetOps__Alerts__Routes__0__Match"] = "team=netops",
        ["NetOps__Alerts__Routes__0__Surface"] = "teams",
        ["NetOps__Alerts__Routes__0__Channel"] = AlertChannel,
        // sw-access-13 is in maintenance for alerts only (TeamsAlertRouteTests: its acknowledgement line goes to Teams).
        ["NetOps__Alerts__Maintenance__0__Devices__0"] = "sw-access-13",
        ["NetOps__Alerts__Maintenance__0__Start"] = "2020-01-01T00:00:00Z",
        ["NetOps__Alerts__Maintenance__0__End"] = "2099-01-01T00:00:00Z",
        ["NetOps__Alerts__Maintenance__0__Reason"] = "CHG-4242",

        // The approver directory: every Teams user of the tests is a person; approvers come from the Entra group only.
        // Not the ids of the Development demo people (alice, bob, carol in appsettings.Development.json, which the
        // host loads here): configuration would merge them, so Teams Alice would be the demo's web chat "alice",
        // listed as an approver, and by the people rule an approver on her Teams account too.
        ["NetOps__People__teams-alice__Teams__0"] = TeamsActivities.Alice.AadObjectId,
        ["NetOps__People__teams-bob__Teams__0"] = TeamsActivities.Bob.AadObjectId,
        ["NetOps__People__teams-carol__Teams__0"] = TeamsActivities.Carol.AadObjectId,
        ["NetOps__People__teams-dave__Teams__0"] = TeamsActivities.Dave.AadObjectId,

        // The host is its own process: its TLS trust is OpenSSL's default store, which this variable replaces with
        // the fake Entra's certificate for that process only (the machine's store is not touched, and the host has
        // no other https peer here).
        ["SSL_CERT_FILE"] = Entra.WriteCertificatePem(_work),
    };

    public async Task DisposeAsync()
    {
        foreach (var d in new IAsyncDisposable?[] { Host, ApprovalHost, Connector, Graph, Entra, Issuer, Lab })
        {
            if (d is not null)
            {
                await d.DisposeAsync();
            }
        }

        TeamsKey.Dispose();
        WebchatOnlyKey.Dispose();
        BareKey.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    /// <summary>A channel token for the fake connector's serviceUrl, signed by the msteams-endorsed key; tests change one thing.</summary>
    internal TokenSpec ValidToken() => new() { Key = TeamsKey, ServiceUrl = Connector.ServiceUrl };

    /// <summary>A v2 Entra token of the bot's tenant for the bot itself (it names no serviceUrl).</summary>
    internal TokenSpec EntraToken() => ValidToken() with
    {
        Key = BareKey,
        Issuer = $"https://login.microsoftonline.com/{TestIds.TenantId}/v2.0",
        ServiceUrl = null,
        Extra = new Dictionary<string, object> { ["ver"] = "2.0", ["azp"] = TestIds.AppId, ["tid"] = TestIds.TenantId },
    };

    internal static async Task<HttpResponseMessage> PostAsync(HostProcess host, JsonObject activity, string? token)
    {
        using var http = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    internal static async Task<int> IncidentCountAsync(HostProcess host)
    {
        using var http = host.Client();
        return (await http.GetFromJsonAsync<JsonElement>("/api/incidents")).GetProperty("incidents").GetArrayLength();
    }

    /// <summary>Waits for a line of the host's log (text or JSON console: values may be quoted).</summary>
    internal static async Task<Match> WaitForLogAsync(HostProcess host, Regex pattern, int from = 0, int timeoutMs = 5_000)
    {
        for (var waited = 0; ; waited += 50)
        {
            var log = host.Log;
            var match = pattern.Match(log, Math.Min(from, log.Length));
            if (match.Success)
            {
                return match;
            }

            if (waited >= timeoutMs)
            {
                Assert.Fail($"no log line matching {pattern} in:\n" + log[Math.Min(from, log.Length)..]);
            }

            await Task.Delay(50);
        }
    }
}

/// <summary>Teams activities as Teams sends them (ids, mention entity, channelData), built per test.</summary>
internal static class TeamsActivities
{
    public const string BotId = "28:" + TestIds.AppId;

    public static readonly TeamsUser Alice = new("29:alice-mri", "Alice Oncall", "a1a1a1a1-0000-4000-8000-000000000001");
    public static readonly TeamsUser Bob = new("29:bob-mri", "Bob Approver", "b2b2b2b2-0000-4000-8000-000000000002");
    public static readonly TeamsUser Carol = new("29:carol-mri", "Carol Approver", "c3c3c3c3-0000-4000-8000-000000000003");
    public static readonly TeamsUser Dave = new("29:dave-mri", "Dave Bystander", "d4d4d4d4-0000-4000-8000-000000000004");

    public static JsonObject PersonalMessage(string serviceUrl, string conversationId, string text, TeamsUser from, string? activityId = null, string? channelId = "msteams")
    {
        var a = Common("message", serviceUrl, from, new JsonObject { ["id"] = conversationId, ["conversationType"] = "personal", ["tenantId"] = TestIds.TenantId }, activityId, channelId);
        a["text"] = text;
        a["textFormat"] = "plain";
        a["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = TestIds.TenantId } };
        return a;
    }

    public static JsonObject ChannelMention(string serviceUrl, string teamsChannelId, string text, TeamsUser from)
    {
        var a = Common("message", serviceUrl, from, new JsonObject { ["id"] = teamsChannelId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = TestIds.TenantId }, null, "msteams");
        a["text"] = "<at>NetOpsBot</at> " + text;
        a["textFormat"] = "plain";
        a["entities"] = new JsonArray(new JsonObject { ["type"] = "mention", ["mentioned"] = new JsonObject { ["id"] = BotId, ["name"] = "NetOpsBot" }, ["text"] = "<at>NetOpsBot</at>" });
        a["channelData"] = ChannelData(teamsChannelId);
        return a;
    }

    /// <summary>An <c>adaptiveCard/action</c> invoke for an Action.Execute of the card at the root of <paramref name="threadId"/>.</summary>
    public static JsonObject CardAction(string serviceUrl, string teamsChannelId, string threadId, string cardActivityId, JsonObject action, TeamsUser from, string trigger = "manual")
    {
        var a = Common("invoke", serviceUrl, from, new JsonObject { ["id"] = threadId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = TestIds.TenantId }, null, "msteams");
        a["name"] = "adaptiveCard/action";
        a["replyToId"] = cardActivityId;
        a["value"] = new JsonObject { ["action"] = action.DeepClone(), ["trigger"] = trigger };
        var data = ChannelData(teamsChannelId);
        data["source"] = new JsonObject { ["name"] = "message" };
        a["channelData"] = data;
        return a;
    }

    private static JsonObject ChannelData(string teamsChannelId) => new()
    {
        ["teamsTeamId"] = teamsChannelId,
        ["teamsChannelId"] = teamsChannelId,
        ["team"] = new JsonObject { ["id"] = teamsChannelId, ["name"] = "NetOps" },
        ["channel"] = new JsonObject { ["id"] = teamsChannelId, ["name"] = "General" },
        ["tenant"] = new JsonObject { ["id"] = TestIds.TenantId },
    };

    private static JsonObject Common(string type, string serviceUrl, TeamsUser from, JsonObject conversation, string? activityId, string? channelId)
    {
        var a = new JsonObject
        {
            ["type"] = type,
            ["id"] = activityId ?? "f:" + Guid.NewGuid().ToString("N"),
            ["timestamp"] = TimeProvider.System.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["serviceUrl"] = serviceUrl,
            ["from"] = new JsonObject { ["id"] = from.Id, ["name"] = from.Name, ["aadObjectId"] = from.AadObjectId },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "NetOpsBot" },
            ["conversation"] = conversation,
            ["locale"] = "en-US",
        };
        if (channelId is not null)
        {
            a["channelId"] = channelId;
        }

        return a;
    }
}

internal sealed record TeamsUser(string Id, string Name, string AadObjectId);
