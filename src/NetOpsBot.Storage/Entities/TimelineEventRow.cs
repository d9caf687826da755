namespace NetOpsBot.Storage.Entities;

/// <summary>Table <c>timeline_events</c>: append-only, key (incident_id, sequence).</summary>
internal sealed class TimelineEventRow
{
    public required string IncidentId { get; set; }

    public long Sequence { get; set; }

    public DateTimeOffset At { get; set; }

    public required string Kind { get; set; }

    public required string Actor { get; set; }

    public required string Summary { get; set; }

    public string? Data { get; set; }
}
