namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>conversation_facts</c>: what a chat surface remembers per platform and key.</summary>
internal sealed class ConversationFactRow
{
    public required string Platform { get; set; }

    public required string Key { get; set; }

    public required string Value { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
