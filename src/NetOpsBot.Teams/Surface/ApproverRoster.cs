using System.Collections.Concurrent;
using NetOpsBot.Teams.Approvals;
using NetOpsBot.Teams.Connector;

namespace NetOpsBot.Teams.Surface;

/// <summary>
/// The Teams ids (29:…) of the approvers in a conversation, for <c>refresh.userIds</c>: the roster maps Entra
/// object ids (what approvals are configured by) onto the ids cards address. Rosters are cached for a few minutes.
/// </summary>
public sealed class ApproverRoster(BotConnectorClient connector, TeamsApprovers approvers, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<ConversationMember> Members)> _rosters = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<string>> ApproverIdsAsync(ConversationRef conversation, string conversationId, CancellationToken ct) =>
        RefreshIdsAsync(conversation, conversationId, new HashSet<string>(StringComparer.Ordinal), ct);

    /// <summary>
    /// The ids of <paramref name="requesterKeys"/> (<c>teams:</c> + the Entra object id or the
    /// Teams id a request was made with) and the approvers', within Teams' limit.
    /// </summary>
    public async Task<IReadOnlyList<string>> RefreshIdsAsync(ConversationRef conversation, string conversationId, IReadOnlySet<string> requesterKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(requesterKeys);
        ArgumentNullException.ThrowIfNull(conversation);
        var now = time.GetUtcNow();
        if (!_rosters.TryGetValue(conversationId, out var cached) || now - cached.At > CacheFor)
        {
            cached = (now, await connector.MembersAsync(conversation, conversationId, ct).ConfigureAwait(false));
            _rosters[conversationId] = cached;
        }

        // Requesters first: a large approver group must not push the one person who needs Withdraw out of the list.
        var ids = new List<string>();
        foreach (var m in cached.Members)
        {
            var requester = (m.AadObjectId is { } aad && requesterKeys.Contains(TeamsPlatform.Key + ":" + aad)) || requesterKeys.Contains(TeamsPlatform.Key + ":" + m.Id);
            if (requester && ids.Count < TeamsCardRenderer.MaxRefreshUsers && !ids.Contains(m.Id, StringComparer.Ordinal))
            {
                ids.Add(m.Id);
            }
        }

        foreach (var m in cached.Members)
        {
            if (ids.Count < TeamsCardRenderer.MaxRefreshUsers && !ids.Contains(m.Id, StringComparer.Ordinal) && await approvers.IsApproverAsync(m.AadObjectId, ct).ConfigureAwait(false))
            {
                ids.Add(m.Id);
            }
        }

        return ids;
    }
}
