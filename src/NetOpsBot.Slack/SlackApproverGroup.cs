using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Slack.WebApi;

namespace NetOpsBot.Slack;

/// <summary>
/// Slack approvers: the ids in <c>Slack:Approvers</c> and the members of <c>Slack:ApproverUserGroup</c>
/// (<c>usergroups.users.list</c>, cached because the method is Tier 2). When Slack cannot say, nobody
/// from the group is an approver (fail closed).
/// </summary>
public sealed partial class SlackApproverGroup(SlackOptions options, SlackApiClient api, TimeProvider time, ILogger<SlackApproverGroup> log) : IApproverGroup, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly HashSet<string> _configured = new(options.Approvers, StringComparer.Ordinal);
    private (HashSet<string> Members, DateTimeOffset At)? _cache;

    public string Platform => "slack";

    public async ValueTask<bool> ContainsAsync(string userId, CancellationToken cancellationToken)
    {
        if (_configured.Contains(userId))
        {
            return true;
        }

        if (string.IsNullOrEmpty(options.ApproverUserGroup))
        {
            return false;
        }

        var members = await MembersAsync(cancellationToken).ConfigureAwait(false);
        return members is not null && members.Contains(userId);
    }

    private async Task<HashSet<string>?> MembersAsync(CancellationToken ct)
    {
        var ttl = TimeSpan.FromSeconds(options.ApproverGroupCacheSeconds);
        if (_cache is { } c && time.GetUtcNow() - c.At < ttl)
        {
            return c.Members;
        }

        await _refresh.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_cache is { } again && time.GetUtcNow() - again.At < ttl)
            {
                return again.Members;
            }

            var response = await api.UserGroupMembersAsync(options.ApproverUserGroup!, ct).ConfigureAwait(false);
            if (!response.Ok || response.Body["users"] is not JsonArray users)
            {
                LogGroupUnavailable(log, response.Error ?? "no users");
                _cache = null;
                return null;
            }

            var members = users.Select(u => u is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
            _cache = (members, time.GetUtcNow());
            return members;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "slack: approver user group unavailable ({Error}); its members are not approvers until it answers")]
    private static partial void LogGroupUnavailable(ILogger log, string error);
}
