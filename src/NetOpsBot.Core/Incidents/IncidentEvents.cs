using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Writes typed events into <see cref="TimelineEvent.Data"/> and reads them back, upgrading rows stored before typed
/// events existed (untyped JSON, <c>"type": "remediation-requested"</c> notes, null data) into the same records. This
/// is the only place that knows the stored JSON; every reader goes through <see cref="Read"/> or <see cref="IncidentStory"/>.
/// </summary>
public static class IncidentEvents
{
    /// <summary>The version written today. Version 0 is the untyped legacy shape (read by the upgrader only).</summary>
    public const int CurrentVersion = 1;

    /// <summary>The options every event is stored with (camelCase, enums as text).</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(IncidentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return JsonSerializer.Serialize(e, Json);
    }

    /// <summary>A draft carrying <paramref name="e"/>: the row kind comes from the event, so the two never disagree.</summary>
    public static TimelineEventDraft Draft(IncidentEvent e, string actor, string summary, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new TimelineEventDraft(e.StoredAs, actor, summary, Serialize(e), at);
    }

    /// <summary>The typed event of a stored row; legacy rows are upgraded; a row nothing understands is a <see cref="NoteEvent"/>.</summary>
    public static IncidentEvent Read(TimelineEvent row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Data is null)
        {
            return LegacyUpgrader.FromSummary(row);
        }

        try
        {
            using var doc = JsonDocument.Parse(row.Data);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("event", out _))
            {
                return doc.RootElement.Deserialize<IncidentEvent>(Json) ?? Fallback(row);
            }

            return LegacyUpgrader.FromJson(row, doc.RootElement);
        }
        catch (JsonException)
        {
            // A discriminator this version does not know (a newer replica wrote it) or a damaged row: keep its line.
            return Fallback(row);
        }
        catch (NotSupportedException)
        {
            return Fallback(row);
        }
    }

    internal static NoteEvent Fallback(TimelineEvent row) => new() { RowKind = row.Kind, Version = 0 };
}
