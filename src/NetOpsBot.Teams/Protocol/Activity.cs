using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NetOpsBot.Teams.Protocol;

/// <summary>The fields of a Bot Framework activity the bot reads (Teams sends many more; they are ignored).</summary>
internal sealed record Activity
{
    /// <summary>
    /// Also the wire format of everything the bot sends. Relaxed escaping sends non-ASCII text as itself (the body is
    /// UTF-8 JSON for the connector, never embedded in HTML): Teams counts a message in UTF-16 code units, and the
    /// default encoder's "\uXXXX" would make each CJK or accented character six units instead of one (emoji stay
    /// escaped either way: the encoder always escapes surrogate pairs, and sizes are measured on what is sent).
    /// </summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string? Type { get; init; }

    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Text { get; init; }

    public string? ServiceUrl { get; init; }

    public string? ChannelId { get; init; }

    public string? ReplyToId { get; init; }

    public string? Action { get; init; }

    public ChannelAccount? From { get; init; }

    public ChannelAccount? Recipient { get; init; }

    public ConversationAccount? Conversation { get; init; }

    public List<ChannelAccount>? MembersAdded { get; init; }

    public List<JsonObject>? Entities { get; init; }

    public JsonObject? ChannelData { get; init; }

    public JsonNode? Value { get; init; }

    /// <summary>The Teams channel (19:…@thread.tacv2) of a channel conversation, else null.</summary>
    public string? TeamsChannelId => ChannelData?["channel"]?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;

    public string? TenantId => Conversation?.TenantId
        ?? (ChannelData?["tenant"]?["id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null);
}

internal sealed record ChannelAccount(string? Id, string? Name)
{
    /// <summary>The user's Entra object id: the identity for approvals (from.id differs per bot).</summary>
    public string? AadObjectId { get; init; }
}

internal sealed record ConversationAccount(string? Id)
{
    /// <summary><c>personal</c>, <c>groupChat</c> or <c>channel</c>.</summary>
    public string? ConversationType { get; init; }

    public string? TenantId { get; init; }

    public bool? IsGroup { get; init; }
}
