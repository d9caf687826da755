using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The approvers: per chat platform, the user ids from configuration, plus any outside groups (an Entra
/// group, a Slack user group). Consulted when a button is clicked, never when a request is made, so
/// membership changes apply at once.
/// </summary>
public sealed class ApproverDirectory
{
    private readonly IReadOnlyList<IApproverGroup> _groups;

    // Platform keys are configuration text ("Slack" vs "slack"); user ids are platform identifiers and exact.
    private readonly Dictionary<string, HashSet<string>> _byPlatform = new(StringComparer.OrdinalIgnoreCase);

    public ApproverDirectory(IEnumerable<KeyValuePair<string, List<string>>> approversByPlatform, IEnumerable<IApproverGroup>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(approversByPlatform);
        _groups = [.. groups ?? []];
        foreach (var (platform, ids) in approversByPlatform)
        {
            if (string.IsNullOrWhiteSpace(platform) || ids is null)
            {
                continue;
            }

            if (!_byPlatform.TryGetValue(platform, out var set))
            {
                set = new HashSet<string>(StringComparer.Ordinal);
                _byPlatform[platform] = set;
            }

            set.UnionWith(ids.Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim()));
        }
    }

    /// <summary>A directory for the configured approver group.</summary>
    public static ApproverDirectory From(ApprovalOptions options, IEnumerable<IApproverGroup>? groups = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ApproverDirectory(options.Approvers ?? [], groups);
    }

    /// <summary>True when <paramref name="user"/>'s id is listed for their platform (configuration only).</summary>
    public bool IsApprover(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _byPlatform.TryGetValue(user.Platform, out var ids) && ids.Contains(user.UserId);
    }

    /// <summary>True when <paramref name="user"/> is listed for their platform or belongs to one of its groups.</summary>
    public async ValueTask<bool> IsApproverAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (IsApprover(user))
        {
            return true;
        }

        foreach (var group in _groups)
        {
            if (string.Equals(group.Platform, user.Platform, StringComparison.OrdinalIgnoreCase)
                && await group.ContainsAsync(user.UserId, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }
        }

        return false;
    }
}
