using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NetOpsBot.Core.Chat;

namespace NetOpsBot.Teams.Connector;

/// <summary>
/// Where a Teams conversation lives, written only from activities that passed authentication, so any
/// serviceUrl read back from here is one Microsoft (or, in Playground mode, loopback) gave us.
/// </summary>
/// <param name="ServiceUrl">The connector endpoint, without a trailing slash.</param>
/// <param name="ConversationId">The conversation the request came from (for a channel: the Teams channel id).</param>
/// <param name="ConversationType"><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</param>
/// <param name="TenantId">The tenant of the conversation.</param>
/// <param name="BotId">Our id in that conversation (28:&lt;appId&gt;).</param>
/// <param name="Authenticated">False for Playground activities: no token is ever sent there.</param>
public sealed record ConversationRef(string ServiceUrl, string ConversationId, string? ConversationType, string? TenantId, string? BotId, bool Authenticated)
{
    public bool IsChannel => string.Equals(ConversationType, "channel", StringComparison.OrdinalIgnoreCase);

    internal string ToJson() => JsonSerializer.Serialize(this, Protocol.Activity.Json);

    internal static ConversationRef? FromJson(string? json)
    {
        if (json is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ConversationRef>(json, Protocol.Activity.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The key a conversation (or channel) is stored under; long Teams ids are hashed to fit.</summary>
    internal static string Key(string channelKey)
    {
        var raw = "conversation|" + channelKey;
        return raw.Length <= IConversationStore.MaxKeyLength
            ? raw
            : "conversation#" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw)));
    }
}
