using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NetOpsBot.Cards;
using NetOpsBot.Core;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Teams.Approvals;
using NetOpsBot.Teams.Auth;
using NetOpsBot.Teams.Connector;
using NetOpsBot.Teams.Protocol;
using NetOpsBot.Teams.Surface;

namespace NetOpsBot.Teams;

/// <summary>Who sent an activity and where it belongs: the user, the channel or chat incidents are shown in, the thread, the conversation to answer.</summary>
public sealed partial class TeamsActivityHandler
{
    private static ConversationRef Reference(Activity a, bool authenticated) => new(
        a.ServiceUrl!.TrimEnd('/'),
        a.TeamsChannelId is { } channel && a.Conversation?.ConversationType == "channel" ? channel : ConversationBase(a.Conversation!.Id!),
        a.Conversation?.ConversationType,
        a.TenantId,
        a.Recipient?.Id,
        authenticated);

    /// <summary>Where incidents of this conversation are shown: the Teams channel, or the chat.</summary>
    internal static string ChannelKey(Activity a)
    {
        var key = a.TeamsChannelId is { } channel && a.Conversation?.ConversationType == "channel" ? channel : ConversationBase(a.Conversation?.Id ?? "unknown");
        return key.Length <= 256 && !key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
            ? key
            : "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string ConversationBase(string conversationId)
    {
        var at = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? conversationId : conversationId[..at];
    }

    private static string? ThreadId(Activity a) =>
        a.Conversation?.Id is { } id && id.Contains(";messageid=", StringComparison.OrdinalIgnoreCase) && id.Length <= 256 && !id.Any(char.IsWhiteSpace) ? id : null;

    internal static ChatUser User(Activity a)
    {
        var id = a.From?.AadObjectId is { Length: > 0 and <= 128 } aad ? aad : a.From?.Id ?? "unknown";
        if (id.Length > 128 || id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            id = "h:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..40];
        }

        var name = new string([.. (a.From?.Name ?? string.Empty).Where(c => !char.IsControl(c)).Take(200)]).Trim();
        return new ChatUser(TeamsPlatform.Key, id, name.Length == 0 ? "Teams user" : name);
    }

    private static ChatChannel Channel(Activity a) => new(TeamsPlatform.Key, ChannelKey(a), ThreadId(a));
}
