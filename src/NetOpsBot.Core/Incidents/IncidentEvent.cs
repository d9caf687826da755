using System.Text.Json.Serialization;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Incidents;

/// <summary>
/// What a timeline event means, as a typed record stored in <see cref="TimelineEvent.Data"/> with a discriminator
/// (<c>"event"</c>) and a version (<c>"v"</c>). The discriminators and property names are persisted: never rename
/// one (a golden-shape test fails when one changes). Rows stored before typed events existed are read through
/// <see cref="IncidentEvents.Read"/>, which upgrades them.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "event", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(DiagnosisRequestedEvent), "requested")]
[JsonDerivedType(typeof(StepStartedEvent), "step-started")]
[JsonDerivedType(typeof(StepFinishedEvent), "step-finished")]
[JsonDerivedType(typeof(VerdictEvent), "verdict")]
[JsonDerivedType(typeof(FixOfferedEvent), "offered")]
[JsonDerivedType(typeof(FixRequestedEvent), "fix-requested")]
[JsonDerivedType(typeof(RequestRefusedEvent), "request-refused")]
[JsonDerivedType(typeof(ApprovalEvent), "approval")]
[JsonDerivedType(typeof(RejectionEvent), "rejection")]
[JsonDerivedType(typeof(ClickRefusedEvent), "click-refused")]
[JsonDerivedType(typeof(FixCancelledEvent), "fix-cancelled")]
[JsonDerivedType(typeof(FixExpiredEvent), "fix-expired")]
[JsonDerivedType(typeof(ExecutionStartedEvent), "execution-started")]
[JsonDerivedType(typeof(ExecutionFinishedEvent), "execution-finished")]
[JsonDerivedType(typeof(ExecutionProgressEvent), "progress")]
[JsonDerivedType(typeof(RecoveryEvent), "recovery")]
[JsonDerivedType(typeof(RediagnosisStartedEvent), "rediagnosis")]
[JsonDerivedType(typeof(InterruptionEvent), "interruption")]
[JsonDerivedType(typeof(ErrorEvent), "error")]
[JsonDerivedType(typeof(ResolutionEvent), "resolution")]
[JsonDerivedType(typeof(NoteEvent), "note")]
public abstract record IncidentEvent
{
    /// <summary>The version of this event's shape; readers accept every version up to <see cref="IncidentEvents.CurrentVersion"/>.</summary>
    [JsonPropertyName("v")]
    [JsonPropertyOrder(-1)]
    public int Version { get; init; } = IncidentEvents.CurrentVersion;

    /// <summary>The row kind this event is stored under (kept for the thread icons and old readers).</summary>
    [JsonIgnore]
    public TimelineEventKind StoredAs => Row();

    protected abstract TimelineEventKind Row();
}

/// <summary>Someone asked for a diagnosis. <see cref="OpenedBy"/> names the origin when not a person in chat (an alert).</summary>
public sealed record DiagnosisRequestedEvent(string Device, string Requester) : IncidentEvent
{
    /// <summary>The monitoring alert that opened the incident; null when a person asked.</summary>
    public AlertOrigin? Alert { get; init; }

    [JsonIgnore]
    public string? OpenedBy => Alert?.OpenedBy;

    protected override TimelineEventKind Row() => TimelineEventKind.Requested;
}

public sealed record StepStartedEvent(string StepId, string Title) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.StepStarted;
}

/// <summary>A runbook step's result: its facts (finding, evidence), the commands it sent and the full output.</summary>
public sealed record StepFinishedEvent(string StepId, string Title, string Status, string Finding, IReadOnlyList<string> Evidence, IReadOnlyList<string> Commands, string RawOutput, double DurationMs) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.StepFinished;

    // Redacted again when read back, so rows stored before redaction existed never reach a reader raw.
    public string Finding { get; init; } = DeviceOutputRedactor.Redact(Finding);

    public IReadOnlyList<string> Evidence { get; init; } = DeviceOutputRedactor.Redact(Evidence);

    public string RawOutput { get; init; } = DeviceOutputRedactor.Redact(RawOutput);

    public static StepFinishedEvent From(StepResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.StepId, r.Title, r.Status.ToString(), r.Finding, r.Evidence, r.Commands, r.RawOutput, r.Duration.TotalMilliseconds);
    }

    /// <summary>The step as a result again (a redrawn card); device text is redacted again on the way.</summary>
    public StepResult ToResult() =>
        new(StepId, Title, Enum.TryParse<StepStatus>(Status, out var s) ? s : StepStatus.Error, Finding, Evidence, RawOutput, TimeSpan.FromMilliseconds(DurationMs), 1) { Commands = Commands };
}

/// <summary>A run's conclusion: its root causes with their evidence, and the fixes it offers.</summary>
public sealed record VerdictEvent(IReadOnlyList<VerdictCause> RootCauses, IReadOnlyList<VerdictPlan> Remediations) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.Verdict;

    [JsonIgnore]
    public IReadOnlyList<string> Codes => RootCauses.Select(c => c.Code).ToList();

    /// <summary>True when the run found nothing wrong (only <c>healthy</c>).</summary>
    [JsonIgnore]
    public bool Healthy => RootCauses.Count > 0 && RootCauses.All(c => RootCause.IsHealthyCode(c.Code));

    public static VerdictEvent From(DiagnosisReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new(
            report.RootCauses.Select(VerdictCause.From).ToList(),
            report.Remediations.Select(p => new VerdictPlan(p.Id, p.RootCause.Code, p.Title, p.Kind.ToString(), p.Commands.Select(c => c.Text).ToList(), p.RequiresApproval, p.ApproversRequired, p.Notes)).ToList());
    }
}

/// <summary>A fix a verdict offers; <see cref="PlanKind"/> is its <see cref="RemediationKind"/> name (JSON <c>"kind"</c>).</summary>
public sealed record FixOfferedEvent(string Id, string Title, [property: JsonPropertyName("kind")] string PlanKind, IReadOnlyList<string> Commands) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.RemediationOffered;
}

/// <summary>A fix was requested: the exact commands bound, who asked, and what approvers must know (reboot notes).</summary>
public sealed record FixRequestedEvent(string RequestId, string PlanId, string Requester, IReadOnlyList<string> Commands, IReadOnlyList<string> Notes) : IncidentEvent
{
    /// <summary>When the request expires without enough approvals (the card shows the time left); null in older rows.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

/// <summary>A request refused before it existed (clicked from another conversation).</summary>
public sealed record RequestRefusedEvent(string Reason, string Platform, string ChannelId) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

/// <summary>An approval counted; <see cref="Complete"/> when it was the last one needed.</summary>
public sealed record ApprovalEvent(string RequestId, string PlanId, string Approver, bool Complete) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.ApprovalGranted;
}

public sealed record RejectionEvent(string RequestId, string PlanId, string RejectedBy) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.ApprovalRejected;
}

/// <summary>A click that changed nothing (own request, not an approver, counted already…); <see cref="Outcome"/> is the <c>ClickOutcome</c>.</summary>
public sealed record ClickRefusedEvent(string RequestId, string PlanId, string ClickedBy, string Outcome) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

public sealed record FixCancelledEvent(string RequestId, string PlanId, string Reason) : IncidentEvent
{
    private const string WithdrawnPrefix = "withdrawn by ";

    /// <summary>True when the requester withdrew it (Withdraw), not the bot: the fix may be requested again at once.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Withdrawn => Reason.StartsWith(WithdrawnPrefix, StringComparison.Ordinal);

    /// <summary>The cancellation of the requester's own Withdraw.</summary>
    public static FixCancelledEvent WithdrawnBy(string requestId, string planId, string requester) => new(requestId, planId, WithdrawnPrefix + requester);

    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

public sealed record FixExpiredEvent(string RequestId) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

public sealed record ExecutionStartedEvent(string PlanId, string? RequestId, IReadOnlyList<string> Commands) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.ActionStarted;
}

/// <summary>One command an execution sent, and what the device answered.</summary>
public sealed record ExecutedCommandRecord(string Command, string Output, string? ErrorLine, double DurationMs)
{
    public static ExecutedCommandRecord From(ExecutedCommand c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Command, c.Output, c.ErrorLine, c.Duration.TotalMilliseconds);
    }
}

/// <summary>
/// An execution's outcome. <see cref="Verified"/> is the read-back's answer: false with <see cref="VerificationEvidence"/>
/// means "applied, not effective". <see cref="Aborted"/>: nothing was sent (the evidence changed on the re-check).
/// </summary>
public sealed record ExecutionFinishedEvent(string PlanId, string? RequestId, bool Succeeded, bool Verified, string VerificationEvidence, IReadOnlyList<ExecutedCommandRecord> Commands) : IncidentEvent
{
    public bool Aborted { get; init; }

    /// <summary>What to do when the fix did not take effect (the executor's advice, e.g. a stuck listener needs a reboot).</summary>
    public string? NextStep { get; init; }

    /// <summary>
    /// "Applied, not effective": every command was accepted, and the read-back says the change did not take. Whether the
    /// executor then calls the run succeeded or failed, this is what people must be told (with the evidence).
    /// </summary>
    [JsonIgnore]
    public bool NotEffective => !Aborted && !Verified && Commands.Count > 0 && Commands.All(c => c.ErrorLine is null) && !string.IsNullOrWhiteSpace(VerificationEvidence);

    protected override TimelineEventKind Row() => TimelineEventKind.ActionFinished;
}

/// <summary>One thing an executor did (a command and its answer, a probe), or a line of its progress.</summary>
public sealed record ExecutionProgressEvent : IncidentEvent
{
    public string? Command { get; init; }

    public string? Output { get; init; }

    public string? Error { get; init; }

    public int? Port { get; init; }

    public string? Outcome { get; init; }

    public string? Detail { get; init; }

    public long? DurationMs { get; init; }

    /// <summary>The path the executor's CLI session took ("ssh" or "console") on the line that says so; null otherwise.</summary>
    public string? Path { get; init; }

    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

/// <summary>A recovery watch's line (<see cref="CameBack"/> null) or its outcome.</summary>
public sealed record RecoveryEvent : IncidentEvent
{
    public bool? WentDown { get; init; }

    public bool? CameBack { get; init; }

    public double? DowntimeMs { get; init; }

    public bool? SshPortListening { get; init; }

    public bool? SshLoginWorks { get; init; }

    public string? Summary { get; init; }

    /// <summary>A watch resumed by another start (its first line).</summary>
    public bool Resumed { get; init; }

    protected override TimelineEventKind Row() => TimelineEventKind.Recovery;

    public static RecoveryEvent From(RecoveryResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new() { WentDown = r.WentDown, CameBack = r.CameBack, DowntimeMs = r.Downtime.TotalMilliseconds, SshPortListening = r.SshPortListening, SshLoginWorks = r.SshLoginWorks, Summary = r.Summary };
    }
}

/// <summary>The runbook runs again: <see cref="Reason"/> is <c>recheck</c> (before a fix runs) or <c>after-fix</c>.</summary>
public sealed record RediagnosisStartedEvent(string Device, string Reason, string? RequestId) : IncidentEvent
{
    public const string Recheck = "recheck";
    public const string AfterFix = "after-fix";

    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

/// <summary>Work stopped before it finished; <see cref="RequestId"/> when an execution was cut off.</summary>
public sealed record InterruptionEvent(string Reason) : IncidentEvent
{
    public string? RequestId { get; init; }

    protected override TimelineEventKind Row() => TimelineEventKind.Interrupted;
}

public sealed record ErrorEvent(string Message) : IncidentEvent
{
    protected override TimelineEventKind Row() => TimelineEventKind.Error;
}

/// <summary>How an incident ended (or that it stays open after a fix): the outcome and the root causes still present.</summary>
public sealed record ResolutionEvent(string Outcome, IReadOnlyList<string> RemainingCauses) : IncidentEvent
{
    /// <summary>The device is healthy again after fixes.</summary>
    public const string Resolved = "resolved";

    /// <summary>The diagnosis found nothing wrong: closed, with what to check next.</summary>
    public const string NoFaultFound = "no-fault-found";

    /// <summary>A fix ran and root causes remain: the incident stays open.</summary>
    public const string StillOpen = "still-open";

    /// <summary>The story in one line, for the top of the resolved card ("Resolved in 4 min 51 s: …").</summary>
    public string? Headline { get; init; }

    /// <summary>Lines of what to check next (no fault found).</summary>
    public IReadOnlyList<string> NextChecks { get; init; } = [];

    [JsonIgnore]
    public bool Closed => Outcome is Resolved or NoFaultFound;

    protected override TimelineEventKind Row() => TimelineEventKind.Note;
}

/// <summary>A line with no meaning beyond its summary (and every legacy row nothing else matches).</summary>
public sealed record NoteEvent : IncidentEvent
{
    /// <summary>The row's kind, kept so an upgraded legacy row keeps its icon.</summary>
    public TimelineEventKind RowKind { get; init; } = TimelineEventKind.Note;

    /// <summary>A legacy row's <c>type</c>, when it had one nothing maps.</summary>
    public string? LegacyType { get; init; }

    protected override TimelineEventKind Row() => RowKind;
}

/// <summary>
/// A monitoring alert as the record keeps it: enough to show where the incident came from and to link back to
/// the alert's source (Alertmanager's <c>generatorURL</c>). Labels and names are already cleaned by the receiver.
/// </summary>
public sealed record AlertOrigin(string Source, string SourceName, string Name, IReadOnlyDictionary<string, string> Labels)
{
    public string? Identity { get; init; }

    public string? Url { get; init; }

    public DateTimeOffset? StartsAt { get; init; }

    /// <summary>"alert SSHDown from Alertmanager".</summary>
    [JsonIgnore]
    public string OpenedBy => $"alert {Name} from {SourceName}";
}
