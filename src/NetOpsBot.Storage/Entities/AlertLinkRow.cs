namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>alert_links</c>: a monitoring alert's identity and the incident it opened.</summary>
internal sealed class AlertLinkRow
{
    public required string Source { get; set; }

    public required string Identity { get; set; }

    public required string IncidentId { get; set; }

    public int Generation { get; set; }

    public required string Status { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
