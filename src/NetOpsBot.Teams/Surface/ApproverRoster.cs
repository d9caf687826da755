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

    public async Task<IReadOnlyList<string>> ApproverIdsAsync(ConversationRef conversation, string conversationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        var now = time.GetUtcNow();
        if (!_rosters.TryGetValue(conversationId, out var cached) || now - cached.At > CacheFor)
        {
            cached = (now, await connector.MembersAsync(conversation, conversationId, ct).ConfigureAwait(false));
            _rosters[conversationId] = cached;
        }

        var ids = new List<string>();
        foreach (var m in cached.Members)
        {
            if (ids.Count < TeamsCardRenderer.MaxRefreshUsers && await approvers.IsApproverAsync(m.AadObjectId, ct).ConfigureAwait(false))
            {
                ids.Add(m.Id);
            }
        }

        return ids;
    }
}
