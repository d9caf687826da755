using System.Globalization;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Chat;

/// <summary>
/// What a thread shared by every replica (a Slack or Teams message) holds, kept in the stores rather than in one
/// replica's memory: its lines come from the stored timeline, so a line whose notification this replica never got
/// (the replica that appended it died before posting, a notification was missed) is caught up by the next
/// publication; and each line is claimed in the conversation store before it goes out, so of two replicas catching
/// up the same timeline only one posts it.
/// </summary>
/// <param name="incidents">The timeline the lines are composed from (<see cref="ThreadLines"/>).</param>
/// <param name="claims">The platform's shared facts; a line's claim is <c>line:&lt;incident&gt;:&lt;sequence&gt;</c>.</param>
public sealed class ThreadLedger(IIncidentStore incidents, IConversationStore claims)
{
    /// <summary>The stored events after <paramref name="afterSequence"/>, oldest first.</summary>
    internal Task<IReadOnlyList<TimelineEvent>> TimelineAsync(IncidentId id, long afterSequence, CancellationToken ct) =>
        incidents.TimelineAsync(id, afterSequence, ct);

    /// <summary>True when this caller may post the line (nobody claimed it before), false when it is posted already.</summary>
    internal Task<bool> ClaimAsync(string platform, IncidentId id, long sequence, CancellationToken ct) =>
        claims.TryAddAsync(platform, Key(id, sequence), string.Empty, ct);

    /// <summary>Gives a claim back after the sink failed to post its line, so the next publication tries again.</summary>
    internal Task ReleaseAsync(string platform, IncidentId id, long sequence, CancellationToken ct) =>
        claims.DeleteAsync(platform, Key(id, sequence), ct);

    private static string Key(IncidentId id, long sequence) => string.Create(CultureInfo.InvariantCulture, $"line:{id.Value}:{sequence}");
}
