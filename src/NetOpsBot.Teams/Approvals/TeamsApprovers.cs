using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Teams.Approvals;

/// <summary>
/// The same approver rule RemediationService applies at click time (configured ids or a registered group), asked
/// here only to decide who sees approve buttons. Never the authority: the click itself is checked again.
/// </summary>
public sealed class TeamsApprovers(ApprovalOptions approvals, IEnumerable<IApproverGroup> groups)
{
    private readonly ApproverDirectory _directory = ApproverDirectory.From(approvals);
    private readonly IApproverGroup[] _groups = [.. groups.Where(g => string.Equals(g.Platform, TeamsPlatform.Key, StringComparison.OrdinalIgnoreCase))];

    public async ValueTask<bool> IsApproverAsync(string? aadObjectId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(aadObjectId))
        {
            return false;
        }

        if (_directory.IsApprover(new ChatUser(TeamsPlatform.Key, aadObjectId, aadObjectId)))
        {
            return true;
        }

        foreach (var group in _groups)
        {
            if (await group.ContainsAsync(aadObjectId, ct).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }
}
