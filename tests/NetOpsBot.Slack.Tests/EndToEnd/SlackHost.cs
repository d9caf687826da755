using System.Net.Http.Json;
using System.Text.Json;
using NetOpsBot.Slack.Tests.Fake;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>A real lab, the fake Slack and the real host configured for Slack (HTTP or Socket Mode).</summary>
internal sealed class SlackHost : IAsyncDisposable
{
    public const string Alice = "U0ALICE001";
    public const string Bob = "U0BOB00002";
    public const string Carol = "U0CAROL003";
    public const string Dave = "U0DAVE0004";
    public const string NetOps = "C0NETOPS01";
    public const string NoBot = "C0NOBOT001";

    private SlackHost(FakeSlack fake, TestLab lab, HostProcess host)
    {
        Fake = fake;
        Lab = lab;
        Host = host;
    }

    public FakeSlack Fake { get; }

    public TestLab Lab { get; }

    public HostProcess Host { get; }

    public Uri Commands => new(Host.Url, "/slack/commands");

    public Uri Interactivity => new(Host.Url, "/slack/interactivity");

    public static async Task<SlackHost> StartAsync(string mode, string scenario = "seed-case", IDictionary<string, string>? extra = null)
    {
        var fake = await FakeSlack.StartAsync();
        TestLab? lab = null;
        try
        {
            lab = await TestLab.StartAsync(scenario);
            var host = await HostProcess.StartAsync(lab.RunDirectory, lab.Database, new Dictionary<string, string>
            {
                ["NetOps__Remediation__ProbeIntervalSeconds"] = "0.25",
                ["NetOps__Remediation__RecoveryDeadlineSeconds"] = "60",
                ["Slack__SigningSecret"] = fake.SigningSecret,
                ["Slack__BotToken"] = fake.BotToken,
                ["Slack__TeamId"] = fake.TeamId,
                ["Slack__AppId"] = fake.AppId,
                ["Slack__AppToken"] = fake.AppToken,
                ["Slack__ApiBaseUrl"] = fake.ApiUrl.ToString(),
                ["Slack__Mode"] = mode,
                // Alice is an approver by id, Carol through the user group only: both paths are used (Bob is in the
                // group too, but he is also the Development demo's web chat "bob", an approver there).
                ["Slack__Approvers__0"] = Alice,
                ["Slack__ApproverUserGroup"] = "S0NETADMIN",
                ["Slack__CardUpdateIntervalMilliseconds"] = "250",

                // The approver directory: each Slack user of the tests is a person. Only Bob is the Development demo's
                // person "bob" (appsettings.Development.json, which the host loads here), so he also has a web chat
                // account; the others must not share a demo person's id, or configuration would merge them with it and
                // its web chat account, listed as an approver, would make them approvers without the user group.
                ["NetOps__People__slack-alice__Slack__0"] = Alice,
                ["NetOps__People__bob__Slack__0"] = Bob,
                ["NetOps__People__slack-carol__Slack__0"] = Carol,
                ["NetOps__People__slack-dave__Slack__0"] = Dave,
            }.Concat(extra ?? new Dictionary<string, string>()).ToDictionary());
            return new SlackHost(fake, lab, host);
        }
        catch
        {
            if (lab is not null)
            {
                await lab.DisposeAsync();
            }

            await fake.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonElement> IncidentsAsync()
    {
        using var http = Host.Client();
        return (await http.GetFromJsonAsync<JsonElement>("/api/incidents?limit=100")).GetProperty("incidents");
    }

    public async Task<JsonElement> IncidentAsync(string id)
    {
        using var http = Host.Client();
        return await http.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Lab.DisposeAsync();
        await Fake.DisposeAsync();
    }
}
