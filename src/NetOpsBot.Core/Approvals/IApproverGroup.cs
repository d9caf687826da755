namespace NetOpsBot.Core.Approvals;

/// <summary>
/// An approver group kept outside the bot (an Entra group, a Slack user group). Asked at click time
/// beside the configured ids; an implementation that cannot find out must answer false (fail closed).
/// </summary>
public interface IApproverGroup
{
    /// <summary>Platform key of the users it knows: <c>teams</c>, <c>slack</c>.</summary>
    string Platform { get; }

    ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken);
}
