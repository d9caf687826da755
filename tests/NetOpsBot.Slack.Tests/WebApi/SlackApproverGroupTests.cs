using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Slack.Tests.Fake;
using NetOpsBot.Testing;

namespace NetOpsBot.Slack.Tests.WebApi;

/// <summary>
/// Who Slack counts as an approver, against the fake Slack: configured ids without asking Slack, user-group
/// members read once per cache period (usergroups.users.list is Tier 2), and nobody from the group while Slack
/// cannot say (fail closed), with a log line saying why.
/// </summary>
public sealed class SlackApproverGroupTests
{
    private const string Group = "S0NETADMIN";
    private const string Alice = "U0ALICE001";
    private const string Bob = "U0BOB00002";
    private const string Carol = "U0CAROL003";
    private const string Dave = "U0DAVE0004";

    [Fact]
    public async Task ConfiguredIdsAndGroupMembers_GroupReadOncePerCachePeriod_SlackDownMeansNoGroupApprover()
    {
        await using var fake = await FakeSlack.StartAsync();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero));
        var log = new CapturingLogger();
        await using var services = fake.SlackServices(time, log, o =>
        {
            o.Approvers = [Alice];
            o.ApproverUserGroup = Group;
            o.ApproverGroupCacheSeconds = 60;
        });
        var approvers = services.GetServices<IApproverGroup>().Single(g => g.Platform == "slack");

        // A configured id needs no call to Slack.
        Assert.True(await approvers.ContainsAsync(Alice, CancellationToken.None));
        Assert.Empty(fake.Calls("usergroups.users.list"));

        // Group members and a stranger: one read serves every question within the cache period.
        Assert.True(await approvers.ContainsAsync(Bob, CancellationToken.None));
        Assert.True(await approvers.ContainsAsync(Carol, CancellationToken.None));
        Assert.False(await approvers.ContainsAsync(Dave, CancellationToken.None));
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await approvers.ContainsAsync(Bob, CancellationToken.None));
        Assert.Single(fake.Calls("usergroups.users.list"));

        // Past the period the group is read again; when Slack refuses, nobody from the group approves.
        time.Advance(TimeSpan.FromSeconds(2));
        fake.Fault("usergroups.users.list", new JsonObject { ["error"] = "missing_scope" });
        Assert.False(await approvers.ContainsAsync(Bob, CancellationToken.None));
        Assert.True(await approvers.ContainsAsync(Alice, CancellationToken.None));
        Assert.Contains(log.Lines, l => l.Contains("missing_scope", StringComparison.Ordinal));

        // A failed read is not cached: the next question asks Slack again and Bob counts once more.
        Assert.True(await approvers.ContainsAsync(Bob, CancellationToken.None));
        Assert.Equal(3, fake.Calls("usergroups.users.list").Count);
        Assert.Empty(fake.Violations);
    }
}
