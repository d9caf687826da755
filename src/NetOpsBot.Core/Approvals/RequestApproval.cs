using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>One counted approval (or the rejection) of a remediation request: who and when.</summary>
public sealed record RequestApproval(ChatUser Approver, DateTimeOffset At)
{
    /// <summary>
    /// The approver's person in the directory (<see cref="IPeopleDirectory"/>); one person counts once whatever
    /// account they click with. Null for approvals recorded before the directory existed.
    /// </summary>
    public string? PersonId { get; init; }
}
