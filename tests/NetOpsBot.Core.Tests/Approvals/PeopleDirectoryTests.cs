using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Tests.Approvals;

public sealed class PeopleDirectoryTests
{
    private const string BobTeams = "b2b2b2b2-0000-4000-8000-000000000002";

    private static readonly Dictionary<string, PersonOptions> People = new()
    {
        ["alice"] = new() { DisplayName = "Alice", WebChat = ["alice"] },
        ["bob"] = new() { DisplayName = "Bob", Slack = ["U01BOB"], Teams = [BobTeams], WebChat = ["bob"] },
        ["carol"] = new() { DisplayName = "Carol", Slack = ["U02CAROL"] },
        ["dave"] = new() { DisplayName = "Dave", Approver = true, WebChat = ["dave"] },
    };

    [Fact]
    public async Task IsApproverAsync_ListsAndGroupsNameAccounts_ThePersonApprovesOnEveryAccount()
    {
        var group = new FixedGroup("slack", "U02CAROL", "U09NOBODY");
        var approvals = new ApprovalOptions { Approvers = { ["Slack"] = ["U01BOB"] } };
        var directory = new PeopleDirectory(People, approvals, [group]);

        // Listed on Slack, approving from Teams (any case of the Entra object id) or the web chat: the same person.
        Assert.Equal("bob", directory.Find(new ChatUser("teams", BobTeams.ToUpperInvariant(), "Bob"))?.Id);
        Assert.Equal("bob", directory.Find(new ChatUser("webchat", "bob", "Bob"))?.Id);
        Assert.True(await directory.IsApproverAsync(directory.Find(new ChatUser("webchat", "bob", "Bob"))!, CancellationToken.None));
        Assert.True(await directory.IsApproverAsync(directory.Find(new ChatUser("slack", "U02CAROL", "Carol"))!, CancellationToken.None));
        Assert.True(await directory.IsApproverAsync(directory.Find(new ChatUser("webchat", "dave", "Dave"))!, CancellationToken.None));
        Assert.False(await directory.IsApproverAsync(directory.Find(new ChatUser("webchat", "alice", "Alice"))!, CancellationToken.None));

        // A group member who is no person is nobody; ids are per platform and exact (Slack, web chat).
        Assert.Null(directory.Find(new ChatUser("slack", "U09NOBODY", "Mallory")));
        Assert.Null(directory.Find(new ChatUser("slack", "bob", "Bob?")));
        Assert.Null(directory.Find(new ChatUser("webchat", "BOB", "Bob?")));
    }

    [Fact]
    public void Validate_NamesTheKey_OfEveryProblem()
    {
        var people = new Dictionary<string, PersonOptions>
        {
            ["bob"] = new() { Slack = ["U01BOB"], Teams = ["not-a-guid"] },
            ["bob2"] = new() { Slack = ["U01BOB"] },
            ["bad id!"] = new(),
            ["eve"] = new() { WebChat = ["has space"] },
        };
        var problems = PeopleDirectory.Validate(people, new ApprovalOptions { Approvers = { ["webchat"] = ["mallory"] } });

        Assert.Contains("NetOps:People:bob:Teams must list Entra object ids (GUIDs), not 'not-a-guid'", problems);
        Assert.Contains("NetOps:People:bob2:Slack lists 'U01BOB', which NetOps:People:bob lists too: an account belongs to one person", problems);
        Assert.Contains(problems, p => p.StartsWith("NetOps:People:bad id!: a person's id", StringComparison.Ordinal));
        Assert.Contains("NetOps:People:eve:WebChat must list account ids (1-128 characters, no spaces)", problems);
        Assert.Contains("NetOps:Approvals:Approvers:webchat lists 'mallory', who is not in NetOps:People: an account that belongs to no person cannot approve", problems);
        Assert.Throws<ArgumentException>(() => new PeopleDirectory(people, new ApprovalOptions()));
        Assert.Empty(PeopleDirectory.Validate(People, new ApprovalOptions { Approvers = { ["slack"] = ["U01BOB"] } }));
    }

    private sealed class FixedGroup(string platform, params string[] members) : IApproverGroup
    {
        public string Platform => platform;

        public ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken) =>
            ValueTask.FromResult(members.Contains(userId, StringComparer.Ordinal));
    }
}
