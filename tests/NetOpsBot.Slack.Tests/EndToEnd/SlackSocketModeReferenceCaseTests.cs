using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>The reference case over Socket Mode, with Slack's refresh and a network drop on the way.</summary>
public sealed class SlackSocketModeReferenceCaseTests
{
    [Fact]
    public async Task SeedCase_OverSocketMode_SurvivesDisconnectAndDrop_TwoPersonRebootResolvesTheIncident()
    {
        await using var slack = await SlackHost.StartAsync("SocketMode");
        var fake = slack.Fake;
        await Eventually.TrueAsync(() => fake.OpenSockets == 1, "the bot connects", context: () => slack.Host.Log);

        // No public Request URL in Socket Mode.
        using (var http = slack.Host.Client())
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.PostAsync("/slack/commands", new StringContent("x"))).StatusCode);
        }

        await ReferenceCaseScenario.RunAsync(slack, new SocketTransport(fake), beforeReboot: async () =>
        {
            // Slack's periodic refresh: the bot opens a new connection before the old one closes.
            var before = fake.SocketsAccepted;
            await fake.DisconnectAsync("refresh_requested", closeAfter: TimeSpan.FromSeconds(2));
            await Eventually.TrueAsync(() => fake.SocketsAccepted == before + 1, "a new connection after disconnect", context: () => slack.Host.Log);
            await Eventually.TrueAsync(() => fake.OpenSockets == 1, "the old connection is gone", context: () => slack.Host.Log);

            // A drop without any warning: the bot dials again.
            fake.DropSockets();
            await Eventually.TrueAsync(() => fake.SocketsAccepted == before + 2 && fake.OpenSockets == 1, "a new connection after a drop", context: () => slack.Host.Log);
        });
        Assert.DoesNotContain(fake.Calls("apps.connections.open"), c => c.Error is not null);
    }
}
