using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Approvals;

public sealed class ApproverDirectoryTests
{
    private static readonly Dictionary<string, List<string>> Configured = new(StringComparer.OrdinalIgnoreCase) { ["Slack"] = ["U01BOB"] };

    [Fact]
    public async Task IsApproverAsync_ConfiguredIdOrGroupMemberOfTheSamePlatform_Only()
    {
        var group = new FixedGroup("slack", "U02CAROL");
        var directory = new ApproverDirectory(Configured, [group]);

        Assert.True(await directory.IsApproverAsync(new ChatUser("slack", "U01BOB", "Bob"), CancellationToken.None));
        Assert.True(await directory.IsApproverAsync(new ChatUser("slack", "U02CAROL", "Carol"), CancellationToken.None));
        Assert.False(await directory.IsApproverAsync(new ChatUser("slack", "U03ALICE", "Alice"), CancellationToken.None));

        // The same id on another platform is another person.
        Assert.False(await directory.IsApproverAsync(new ChatUser("teams", "U02CAROL", "Carol"), CancellationToken.None));
        Assert.Equal(["U02CAROL", "U03ALICE"], group.Asked);
    }

    private sealed class FixedGroup(string platform, params string[] members) : IApproverGroup
    {
        public List<string> Asked { get; } = [];

        public string Platform => platform;

        public ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken)
        {
            Asked.Add(userId);
            return ValueTask.FromResult(members.Contains(userId, StringComparer.Ordinal));
        }
    }
}
