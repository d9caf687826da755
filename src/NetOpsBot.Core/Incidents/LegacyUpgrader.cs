using System.Text.Json;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// Maps rows stored before typed events (version 0) to typed events. Their JSON is read into typed legacy shapes
/// (below), and rows without data by their kind and the fixed wording their producers used; nothing is dropped: a
/// row that matches nothing becomes a <see cref="NoteEvent"/> and keeps its summary.
/// </summary>
internal static class LegacyUpgrader
{
    private const string RerunPrefix = "Re-running the diagnosis on ";
    private const string AskedMarker = " asked to diagnose SSH on ";
    private const string StillOpenPrefix = "Still open: ";
    private const string ExecutionOfPrefix = "Execution of ";

    public static IncidentEvent FromSummary(TimelineEvent row)
    {
        var s = row.Summary;
        var at = s.IndexOf(AskedMarker, StringComparison.Ordinal);
        IncidentEvent e = row.Kind switch
        {
            TimelineEventKind.Requested when at >= 0 =>
                new DiagnosisRequestedEvent(s[(at + AskedMarker.Length)..], s[..at]),
            TimelineEventKind.Requested => new DiagnosisRequestedEvent(string.Empty, row.Actor),
            TimelineEventKind.Interrupted when s.StartsWith(ExecutionOfPrefix, StringComparison.Ordinal) =>
                new InterruptionEvent(s) { RequestId = FirstWord(s[ExecutionOfPrefix.Length..]) },
            TimelineEventKind.Interrupted => new InterruptionEvent(s),
            TimelineEventKind.Error => new ErrorEvent(s),
            TimelineEventKind.Recovery => new RecoveryEvent { Summary = s, Resumed = s.StartsWith("Resuming the recovery watch", StringComparison.Ordinal) },
            TimelineEventKind.Note when s.StartsWith(RerunPrefix, StringComparison.Ordinal) => new RediagnosisStartedEvent(s[RerunPrefix.Length..], string.Empty, null),
            TimelineEventKind.Note when s.EndsWith(" is healthy again: incident resolved", StringComparison.Ordinal) => new ResolutionEvent(ResolutionEvent.Resolved, []),
            TimelineEventKind.Note when s.StartsWith(StillOpenPrefix, StringComparison.Ordinal) =>
                new ResolutionEvent(ResolutionEvent.StillOpen, s[StillOpenPrefix.Length..].Split(" + ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)),
            TimelineEventKind.Note when s.Contains(" expired without enough approvals", StringComparison.Ordinal) => new FixExpiredEvent(FirstWord(s)),
            _ => new NoteEvent { RowKind = row.Kind },
        };
        return e with { Version = 0 };
    }

    public static IncidentEvent FromJson(TimelineEvent row, JsonElement data)
    {
        var json = IncidentEvents.Json;
        IncidentEvent? e = row.Kind switch
        {
            TimelineEventKind.StepStarted => data.Deserialize<StepStartedEvent>(json),
            TimelineEventKind.StepFinished => data.Deserialize<StepFinishedEvent>(json),
            TimelineEventKind.Verdict => data.Deserialize<VerdictEvent>(json),
            TimelineEventKind.RemediationOffered => data.Deserialize<FixOfferedEvent>(json),
            TimelineEventKind.ActionStarted => data.Deserialize<ExecutionStartedEvent>(json),
            TimelineEventKind.ActionFinished => Finished(data.Deserialize<LegacyFinished>(json)),
            TimelineEventKind.Recovery => Recovery(data.Deserialize<LegacyRecovery>(json)),
            _ when data.ValueKind == JsonValueKind.Object => Typed(row, data.Deserialize<LegacyNote>(json)),
            _ => null,
        };
        return (e ?? IncidentEvents.Fallback(row)) with { Version = 0 };
    }

    private static IncidentEvent? Typed(TimelineEvent row, LegacyNote? n) => n switch
    {
        null => null,
        { Type: "remediation-requested", RequestId: { } r, PlanId: { } p } => new FixRequestedEvent(r, p, n.Requester ?? row.Actor, n.Commands ?? [], n.Notes ?? []),
        { Type: "remediation-cancelled", RequestId: { } r, PlanId: { } p } => new FixCancelledEvent(r, p, n.Reason ?? row.Summary),
        { Type: "request-refused" } => new RequestRefusedEvent(n.Reason ?? string.Empty, n.Platform ?? string.Empty, n.ChannelId ?? string.Empty),
        { Type: "click", RequestId: { } r, PlanId: { } p } => row.Kind switch
        {
            TimelineEventKind.ApprovalGranted => new ApprovalEvent(r, p, n.Approver ?? row.Actor, n.Outcome == "ApprovedComplete"),
            TimelineEventKind.ApprovalRejected => new RejectionEvent(r, p, n.Approver ?? row.Actor),
            _ => new ClickRefusedEvent(r, p, n.Approver ?? row.Actor, n.Outcome ?? string.Empty),
        },
        { Type: null, Command: not null } or { Type: null, Port: not null } =>
            new ExecutionProgressEvent { Command = n.Command, Output = n.Output, Error = n.Error, Port = n.Port, Outcome = n.Outcome, Detail = n.Detail, DurationMs = n.DurationMs },
        _ => new NoteEvent { RowKind = row.Kind, LegacyType = n.Type },
    };

    private static ExecutionFinishedEvent? Finished(LegacyFinished? f) => f is null
        ? null
        : new ExecutionFinishedEvent(
            f.PlanId ?? string.Empty,
            f.RequestId,
            f.Succeeded,
            f.Verified ?? false,
            f.VerificationEvidence ?? string.Empty,
            f.Commands?.Select(c => new ExecutedCommandRecord(c.Command, c.Output, c.ErrorLine, c.Duration.TotalMilliseconds)).ToList() ?? [])
        {
            // The only legacy finish without a read-back was the re-check that refused to run anything.
            Aborted = f.Verified is null && !f.Succeeded,
        };

    private static RecoveryEvent? Recovery(LegacyRecovery? r) => r is null
        ? null
        : new RecoveryEvent
        {
            WentDown = r.WentDown,
            CameBack = r.CameBack,
            DowntimeMs = r.Downtime?.TotalMilliseconds,
            SshPortListening = r.SshPortListening,
            SshLoginWorks = r.SshLoginWorks,
            Summary = r.Summary,
        };

    private static string FirstWord(string s)
    {
        var end = s.IndexOfAny([' ', ':', '(']);
        return end < 0 ? s : s[..end];
    }

    /// <summary>The union of the untyped note payloads written before version 1 (RemediationService, the executor's details).</summary>
    private sealed record LegacyNote(
        string? Type,
        string? RequestId,
        string? PlanId,
        string? Requester,
        IReadOnlyList<string>? Commands,
        IReadOnlyList<string>? Notes,
        string? Reason,
        string? Platform,
        string? ChannelId,
        string? Outcome,
        string? Approver,
        string? Command,
        string? Output,
        string? Error,
        int? Port,
        string? Detail,
        long? DurationMs);

    private sealed record LegacyFinished(string? PlanId, string? RequestId, bool Succeeded, bool? Verified, string? VerificationEvidence, IReadOnlyList<LegacyCommand>? Commands);

    private sealed record LegacyCommand(string Command, string Output, string? ErrorLine, TimeSpan Duration);

    private sealed record LegacyRecovery(bool? WentDown, bool? CameBack, TimeSpan? Downtime, bool? SshPortListening, bool? SshLoginWorks, string? Summary);
}
