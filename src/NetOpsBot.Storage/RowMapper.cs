using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>Rows ↔ domain records. Reading back goes through the domain's validating parsers.</summary>
internal static class RowMapper
{
    /// <summary>
    /// The only runbook before incidents named theirs (issue 16): rows written before the column, and an incident
    /// opened without a runbook registry, ran it.
    /// </summary>
    public const string LegacyRunbookId = "ssh-unreachable";

    public static IncidentRow ToRow(Incident incident, string idempotencyKey) => new()
    {
        Id = incident.Id.Value,
        IdempotencyKey = idempotencyKey,
        DeviceName = incident.Device.Value,
        RequesterPlatform = incident.Requester.Platform,
        RequesterUserId = incident.Requester.UserId,
        RequesterDisplayName = incident.Requester.DisplayName,
        ChannelPlatform = incident.Channel.Platform,
        ChannelId = incident.Channel.ChannelId,
        ThreadId = incident.Channel.ThreadId,
        State = incident.State.ToString(),
        RunbookId = incident.RunbookId ?? LegacyRunbookId,
        CreatedAt = Instants.Normalize(incident.CreatedAt),
        UpdatedAt = Instants.Normalize(incident.UpdatedAt),
        RootCauses = JoinCodes(incident.RootCauseCodes),
        OwnerInstance = incident.OwnerInstance,
        LeaseUntil = incident.LeaseUntil is { } lease ? Instants.Normalize(lease) : null,
        LastSequence = 0,
    };

    public static Incident ToIncident(IncidentRow row, IEnumerable<CardMessageRow> cards) =>
        new(
            IncidentId.Parse(row.Id),
            DeviceName.Parse(row.DeviceName),
            new ChatUser(row.RequesterPlatform, row.RequesterUserId, row.RequesterDisplayName),
            new ChatChannel(row.ChannelPlatform, row.ChannelId, row.ThreadId),
            Enum.Parse<IncidentState>(row.State),
            row.CreatedAt,
            row.UpdatedAt)
        {
            RootCauseCodes = row.RootCauses.Length == 0 ? [] : row.RootCauses.Split(','),
            RunbookId = row.RunbookId,
            CardMessages = [.. cards.OrderBy(c => c.Platform, StringComparer.Ordinal).Select(c => new CardMessageRef(c.Platform, c.ChannelId, c.MessageId))],
            OwnerInstance = row.OwnerInstance,
            LeaseUntil = row.LeaseUntil,
            LastSequence = row.LastSequence,
        };

    public static TimelineEventRow ToRow(IncidentId id, long sequence, TimelineEventDraft draft) => new()
    {
        IncidentId = id.Value,
        Sequence = sequence,
        At = Instants.Normalize(draft.At),
        Kind = draft.Kind.ToString(),
        Actor = draft.Actor,
        Summary = draft.Summary,
        Data = draft.Data,
    };

    public static TimelineEvent ToEvent(TimelineEventRow row) =>
        new(IncidentId.Parse(row.IncidentId), row.Sequence, row.At, Enum.Parse<TimelineEventKind>(row.Kind), row.Actor, row.Summary, row.Data);

    public static string JoinCodes(IReadOnlyList<string> codes)
    {
        foreach (var code in codes)
        {
            if (string.IsNullOrEmpty(code) || code.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"root-cause code '{code}' is empty or contains ','", nameof(codes));
            }
        }

        return string.Join(',', codes);
    }
}
