namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>incident_card_messages</c>: one card message per incident and platform.</summary>
internal sealed class CardMessageRow
{
    public required string IncidentId { get; set; }

    public required string Platform { get; set; }

    public required string ChannelId { get; set; }

    public required string MessageId { get; set; }
}
