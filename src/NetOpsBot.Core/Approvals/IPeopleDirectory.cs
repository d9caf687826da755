using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>A person of the approver directory: one human, whatever number of chat accounts they have.</summary>
public sealed record Person(string Id, string DisplayName);

/// <summary>
/// The one source of who is who and who may approve. Two accounts of one person are one approver; an account
/// that belongs to no person cannot approve. Asked at click time, so changes apply to pending requests.
/// </summary>
public interface IPeopleDirectory
{
    /// <summary>The person <paramref name="account"/> belongs to, or null when it is nobody's.</summary>
    Person? Find(ChatUser account);

    /// <summary>
    /// True when <paramref name="person"/> may approve now. An implementation that cannot find out (a group
    /// that does not answer) answers false: fail closed.
    /// </summary>
    ValueTask<bool> IsApproverAsync(Person person, CancellationToken cancellationToken);
}
