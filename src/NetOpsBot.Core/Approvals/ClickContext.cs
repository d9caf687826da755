using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// Who clicked, where, and who they are in the approver directory, resolved once per click before
/// <see cref="ApprovalStateMachine.Decide(RemediationRequest, ClickVerb, ClickContext, DateTimeOffset)"/> runs
/// (which must stay pure: the store may run it twice).
/// </summary>
public sealed record ClickContext(ChatUser Clicker, ChatChannel Channel)
{
    /// <summary>The clicker's person, or null when the account belongs to nobody (then they cannot approve).</summary>
    public string? ClickerPersonId { get; init; }

    /// <summary>True when the clicker's person may approve (checked now, at click time).</summary>
    public bool ClickerIsApprover { get; init; }

    /// <summary>The requester's person, so that none of their accounts can approve their own request.</summary>
    public string? RequesterPersonId { get; init; }

    /// <summary>Resolves the clicker and the requester through <paramref name="people"/>.</summary>
    public static async ValueTask<ClickContext> ResolveAsync(IPeopleDirectory people, ChatUser clicker, ChatChannel channel, ChatUser requester, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(requester);
        var person = people.Find(clicker);
        return new ClickContext(clicker, channel)
        {
            ClickerPersonId = person?.Id,
            ClickerIsApprover = person is not null && await people.IsApproverAsync(person, cancellationToken).ConfigureAwait(false),
            RequesterPersonId = people.Find(requester)?.Id,
        };
    }
}
