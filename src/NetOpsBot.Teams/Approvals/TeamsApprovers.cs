using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Teams.Approvals;

/// <summary>
/// The same approver rule RemediationService applies at click time (the account's person in the approver
/// directory), asked here only to decide who sees approve buttons. Never the authority: the click itself is
/// checked again.
/// </summary>
public sealed class TeamsApprovers(IPeopleDirectory people)
{
    public async ValueTask<bool> IsApproverAsync(string? aadObjectId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(aadObjectId))
        {
            return false;
        }

        return people.Find(new ChatUser(TeamsPlatform.Key, aadObjectId, aadObjectId)) is { } person
            && await people.IsApproverAsync(person, ct).ConfigureAwait(false);
    }
}
