using System.Text.Json;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// A timeline event before the store numbers it. The store assigns the incident's next sequence number,
/// so callers on different replicas never pick numbers themselves.
/// </summary>
public sealed record TimelineEventDraft
{
    /// <summary>Longest summary; it is posted as one line in the card's thread.</summary>
    public const int MaxSummaryLength = 500;

    /// <param name="data">Structured detail as a JSON document (object, array or value); null for none.</param>
    public TimelineEventDraft(TimelineEventKind kind, string actor, string summary, string? data, DateTimeOffset at)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown timeline event kind");
        }

        Kind = kind;
        Actor = Guard.OneLine(actor, nameof(actor), 200);
        // Everything the timeline stores passes here: step output, remediation commands and their answers,
        // read-backs. Redacting at this one door keeps device secrets out of the store, the threads and exports.
        Summary = Guard.OneLine(Fit(DeviceOutputRedactor.Redact(summary)), nameof(summary), MaxSummaryLength);
        Data = data is null ? null : DeviceOutputRedactor.RedactJson(ValidJson(data));
        At = at;
    }

    public TimelineEventKind Kind { get; }

    /// <summary>Who caused it: a user (<c>slack:U123</c>), or the bot (<c>netopsbot</c>).</summary>
    public string Actor { get; }

    public string Summary { get; }

    public string? Data { get; }

    public DateTimeOffset At { get; }

    // "<redacted>" can be longer than the secret it replaces.
    private static string Fit(string summary) =>
        summary.Length > MaxSummaryLength ? summary[..(MaxSummaryLength - 1)] + "…" : summary;

    private static string ValidJson(string data)
    {
        // Fail at the producer, not when an export or a card later tries to read the row.
        try
        {
            using var _ = JsonDocument.Parse(data);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("data must be a JSON document: " + e.Message, nameof(data), e);
        }

        return data;
    }
}
