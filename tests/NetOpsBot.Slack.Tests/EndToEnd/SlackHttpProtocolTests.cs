using System.Text.Json;
using NetOpsBot.Slack.Tests.Fake;
using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>One lab, the fake Slack and the real host (HTTP mode), shared by the protocol tests below.</summary>
public sealed class SlackHttpHostFixture : IAsyncLifetime
{
    internal SlackHost Slack { get; private set; } = null!;

    public async Task InitializeAsync() => Slack = await SlackHost.StartAsync("Http", scenario: "healthy");

    public async Task DisposeAsync() => await Slack.DisposeAsync();
}

/// <summary>Signature refusals, Slack's retries and replays, a channel without the bot, help and full outputs, over HTTP.</summary>
public sealed class SlackHttpProtocolTests(SlackHttpHostFixture fixture) : IClassFixture<SlackHttpHostFixture>
{
    private SlackHost Slack => fixture.Slack;

    [Fact]
    public async Task BadlySignedRequests_Get401_AndNothingRuns()
    {
        var fake = Slack.Fake;
        var incidentsBefore = (await Slack.IncidentsAsync()).GetArrayLength();
        var callsBefore = fake.Calls().Count;
        foreach (var signing in new[] { FakeSigning.WrongSecret, FakeSigning.NoHeaders, FakeSigning.Stale, FakeSigning.Future, FakeSigning.TamperedBody })
        {
            var command = await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Dave, NetOps, "sw-access-13", signing));
            Assert.True(command.Status == 401, $"{signing}: {command.Status}");
            Assert.Equal(string.Empty, command.Body);
        }

        // A forged click on a real card changes nothing either.
        var ok = await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Carol, NetOps, "sw-access-14"));
        Assert.Equal(200, ok.Status);
        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.Text.Contains("sw-access-14", StringComparison.Ordinal)), "the card", context: () => Slack.Host.Log);
        await Eventually.TrueAsync(() => card.AllText.Contains("`healthy`", StringComparison.Ordinal), "the verdict", context: () => card.AllText);
        await QuietAsync(fake);
        var incidentsWithCard = (await Slack.IncidentsAsync()).GetArrayLength();
        var callsWithCard = fake.Calls().Count;
        foreach (var signing in new[] { FakeSigning.WrongSecret, FakeSigning.Stale, FakeSigning.Future, FakeSigning.TamperedBody })
        {
            var click = await FakeSlack.SendAsync(Slack.Interactivity, fake.Click(Carol, NetOps, "Details", signing));
            Assert.True(click.Status == 401, $"{signing}: {click.Status}");
        }

        await Task.Delay(1500);
        Assert.Equal(incidentsBefore + 1, incidentsWithCard);
        Assert.Equal(incidentsWithCard, (await Slack.IncidentsAsync()).GetArrayLength());
        Assert.DoesNotContain(fake.Calls().Skip(callsWithCard), c => c.Method is "chat.postMessage" or "chat.postEphemeral");
        Assert.True(callsBefore <= callsWithCard);
        // Whatever the log format (text or JSON), each refusal is logged with its reason.
        Assert.Matches("refused \\\\?\"?/slack/commands", Slack.Host.Log);
        Assert.Contains("FromTheFuture", Slack.Host.Log, StringComparison.Ordinal);
    }

    /// <summary>Waits until the fake has received nothing new for a second (the diagnosis's last updates are out).</summary>
    private static async Task QuietAsync(FakeSlack fake)
    {
        var last = -1;
        while (fake.Calls().Count != last)
        {
            last = fake.Calls().Count;
            await Task.Delay(1000);
        }
    }

    [Fact]
    public async Task SlackRetriesAndReplays_OneIncidentOneCard_ShowOutputPostsTheWholeOutputInTheThread()
    {
        var fake = Slack.Fake;
        var request = fake.Slash(Dave, NetOps, "sw-access-13");
        var first = await FakeSlack.SendAsync(Slack.Commands, request);
        Assert.Equal(200, first.Status);
        Assert.Equal("""{"response_type":"in_channel"}""", first.Body);
        Assert.True(first.Elapsed < TimeSpan.FromSeconds(3));

        // Slack's retries (X-Slack-Retry-Num) and a plain replay of the same signed bytes, some at once.
        var again = await Task.WhenAll(
            FakeSlack.SendAsync(Slack.Commands, request, retryNum: "1"),
            FakeSlack.SendAsync(Slack.Commands, request, retryNum: "2"),
            FakeSlack.SendAsync(Slack.Commands, request));
        Assert.All(again, a => Assert.Equal(200, a.Status));

        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.Text.Contains("sw-access-13", StringComparison.Ordinal)), "the card");
        await Eventually.TrueAsync(() => card.AllText.Contains("`healthy`", StringComparison.Ordinal), "the verdict", context: () => card.AllText + Slack.Host.Log);
        await Task.Delay(1000);
        Assert.Single(fake.Messages(NetOps), m => m.Text.Contains("sw-access-13", StringComparison.Ordinal));
        var incidents = (await Slack.IncidentsAsync()).EnumerateArray().Where(i => i.GetProperty("device").GetString() == "sw-access-13").ToList();
        Assert.Single(incidents);
        Assert.Matches("already received \\(retry \\\\?\"?1", Slack.Host.Log);

        // A step's "Details" (its full output): the raw output in the card's thread, in code blocks; a double click posts it once.
        var clicks = await Task.WhenAll(
            FakeSlack.SendAsync(Slack.Interactivity, fake.Click(Dave, NetOps, "Details")),
            FakeSlack.SendAsync(Slack.Interactivity, fake.Click(Dave, NetOps, "Details")));
        Assert.All(clicks, c => Assert.Equal(200, c.Status));
        var output = await Eventually.GetAsync(() => fake.Thread(NetOps, card.Ts).FirstOrDefault(m => m.Text.StartsWith("*Full output: ", StringComparison.Ordinal)), "the full output in the thread");
        Assert.Contains("```", output.Text, StringComparison.Ordinal);
        await Task.Delay(1000);
        Assert.Single(fake.Thread(NetOps, card.Ts), m => m.Text.StartsWith("*Full output: ", StringComparison.Ordinal) && m.Text.Contains("(1/", StringComparison.Ordinal));
        Assert.Empty(fake.Violations);
    }

    [Fact]
    public async Task FullOutputOfTheConfigurationStep_ThreadHoldsNoDeviceSecret()
    {
        // Issue 13 item 4: the hardening step runs display current-configuration; every lab switch has
        // "local-user netops password irreversible-cipher %^%#…%^%#". Carol only looks (no approval involved).
        var fake = Slack.Fake;
        Assert.Equal(200, (await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Dave, NetOps, "sw-access-12"))).Status);
        var card = await Eventually.GetAsync(() => fake.Messages(NetOps).LastOrDefault(m => m.Text.Contains("sw-access-12", StringComparison.Ordinal)), "the card", context: () => Slack.Host.Log);
        await Eventually.TrueAsync(() => card.AllText.Contains("`healthy`", StringComparison.Ordinal), "the verdict", context: () => card.AllText);

        var click = await FakeSlack.SendAsync(Slack.Interactivity, fake.Click(Carol, NetOps, "Details", actionIdContains: "hardening"));
        Assert.Equal(200, click.Status);
        await Eventually.TrueAsync(() => fake.Thread(NetOps, card.Ts).Any(m => m.Text.Contains("irreversible-cipher", StringComparison.Ordinal)), "the configuration in the thread");
        await QuietAsync(fake);

        var posted = string.Join("\n", fake.Calls().Select(c => c.Args.ToJsonString())) + string.Join("\n", fake.Thread(NetOps, card.Ts).Select(m => m.Text));
        Assert.Contains("local-user netops password irreversible-cipher", posted, StringComparison.Ordinal);
        Assert.DoesNotContain("%^%#", posted, StringComparison.Ordinal);
        Assert.DoesNotContain("%^%#", card.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CommandInAChannelWithoutTheBot_TellsTheUserHowToInviteIt()
    {
        var fake = Slack.Fake;
        // A device no other test of this host diagnoses: this diagnosis still runs (its posts fail) when the next test starts.
        var answer = await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Bob, NoBot, "sw-access-12"));
        Assert.Equal(200, answer.Status);
        var told = await Eventually.GetAsync(() => fake.Ephemerals(Bob).FirstOrDefault(e => e.Channel == NoBot), "an ephemeral answer through response_url", context: () => Slack.Host.Log);
        Assert.Contains("/invite @netopsbot", told.Text, StringComparison.Ordinal);
        Assert.Contains(fake.Calls("chat.postMessage"), c => c.Error == "not_in_channel");
        Assert.Contains(fake.Responses(), r => r.Body["text"]!.GetValue<string>().Contains("/invite", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HelpAndUnknownDevice_AnsweredOnlyToTheUser()
    {
        var fake = Slack.Fake;
        var help = await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Carol, NetOps, "help"));
        Assert.Equal((200, string.Empty), (help.Status, help.Body));
        await Eventually.TrueAsync(() => fake.Ephemerals(Carol).Any(e => e.Text.Contains("/sshdiag &lt;device&gt;", StringComparison.Ordinal)), "help text", context: () => Slack.Host.Log);
        var unknown = await FakeSlack.SendAsync(Slack.Commands, fake.Slash(Carol, NetOps, "sw-nowhere-99"));
        Assert.Equal(200, unknown.Status);
        await Eventually.TrueAsync(() => fake.Ephemerals(Carol).Any(e => e.Text.Contains("not in the inventory", StringComparison.Ordinal)), "unknown device", context: () => Slack.Host.Log);
        Assert.DoesNotContain(fake.Messages(NetOps), m => m.Text.Contains("sw-nowhere-99", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HostStart_SlackSectionWithoutSigningSecret_StopsNamingTheKey_AndWithoutSlackSectionNothingIsServed()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => HostProcess.StartAsync(Slack.Lab.RunDirectory, Path.Combine(Slack.Lab.WorkDirectory, "nosecret.db"), new Dictionary<string, string>
        {
            ["Slack__BotToken"] = "xoxb-some-token",
            ["Slack__ApiBaseUrl"] = Slack.Fake.ApiUrl.ToString(),
        }));
        Assert.Contains("Slack:SigningSecret is required", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxb-some-token", error.Message, StringComparison.Ordinal);

        await using var plain = await HostProcess.StartAsync(Slack.Lab.RunDirectory, Path.Combine(Slack.Lab.WorkDirectory, "noslack.db"));
        using var http = plain.Client();
        var request = Slack.Fake.Slash(Alice, NetOps, "help");
        using var content = new ByteArrayContent(request.Body);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync("/slack/commands", content)).StatusCode);
    }
}
