using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The approver group from configuration: per chat platform, the user ids that may approve or reject.
/// Consulted when a button is clicked, never when a request is made, so membership changes apply at once.
/// </summary>
public sealed class ApproverDirectory
{
    // Platform keys are configuration text ("Slack" vs "slack"); user ids are platform identifiers and exact.
    private readonly Dictionary<string, HashSet<string>> _byPlatform = new(StringComparer.OrdinalIgnoreCase);

    public ApproverDirectory(IEnumerable<KeyValuePair<string, List<string>>> approversByPlatform)
    {
        ArgumentNullException.ThrowIfNull(approversByPlatform);
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
    public static ApproverDirectory From(ApprovalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ApproverDirectory(options.Approvers ?? []);
    }

    /// <summary>True when <paramref name="user"/>'s id is listed for their platform.</summary>
    public bool IsApprover(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return _byPlatform.TryGetValue(user.Platform, out var ids) && ids.Contains(user.UserId);
    }
}
