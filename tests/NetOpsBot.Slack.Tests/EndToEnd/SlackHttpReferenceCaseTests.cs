using NetOpsBot.Slack.Tests.Fake;
using static NetOpsBot.Slack.Tests.EndToEnd.SlackHost;

namespace NetOpsBot.Slack.Tests.EndToEnd;

/// <summary>The reference case over Slack's HTTP Request URLs (slash command + interactivity), real host, real lab.</summary>
public sealed class SlackHttpReferenceCaseTests
{
    [Fact]
    public async Task SeedCase_OverSlashCommandAndInteractivity_TwoPersonRebootResolvesTheIncident()
    {
        await using var slack = await SlackHost.StartAsync("Http");
        await ReferenceCaseScenario.RunAsync(slack, new HttpTransport(slack));
        Assert.NotEmpty(slack.Fake.Calls("usergroups.users.list"));
        Assert.All(slack.Fake.Calls("usergroups.users.list"), c => Assert.False(c.JsonBody, "read methods must be form-encoded"));
    }
}
