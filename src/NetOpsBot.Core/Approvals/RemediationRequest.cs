using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// A request to run one remediation plan on one device, bound at request time to the exact command text and
/// to the diagnosis it came from: what approvers approve is exactly what runs. A snapshot read from
/// <see cref="IRemediationRequestStore"/>; changes go through the store so replicas agree.
/// </summary>
public sealed record RemediationRequest
{
    public required RemediationRequestId Id { get; init; }

    public required IncidentId IncidentId { get; init; }

    public required string PlanId { get; init; }

    public required DeviceName Device { get; init; }

    /// <summary><see cref="RemediationKind.Config"/> or <see cref="RemediationKind.Reboot"/>; manual plans need no request.</summary>
    public required RemediationKind Kind { get; init; }

    /// <summary>The exact command lines sent to the device, in order.</summary>
    public required IReadOnlyList<string> Commands { get; init; }

    /// <summary>Reboot only: answer VRP's "save the configuration?" with yes. The approval card says which.</summary>
    public bool SaveBeforeReboot { get; init; }

    /// <summary>When the diagnosis this plan came from finished; see <see cref="ApprovalStateMachine.NeedsRecheck"/>.</summary>
    public required DateTimeOffset DiagnosisAt { get; init; }

    /// <summary>The root-cause codes of that diagnosis, to tell whether a re-check found the same thing.</summary>
    public IReadOnlyList<string> RootCauseCodes { get; init; } = [];

    public required ChatUser Requester { get; init; }

    public required ChatChannel Channel { get; init; }

    /// <summary>Distinct approvers needed, never counting the requester.</summary>
    public required int ApproversRequired { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public RemediationRequestState State { get; init; } = RemediationRequestState.Pending;

    /// <summary>Counted approvals, oldest first, one per person.</summary>
    public IReadOnlyList<RequestApproval> Approvals { get; init; } = [];

    /// <summary>Who rejected it and when, once <see cref="RemediationRequestState.Rejected"/>.</summary>
    public RequestApproval? RejectedBy { get; init; }

    /// <summary>The host instance that claimed the execution.</summary>
    public string? ExecutionOwner { get; init; }

    /// <summary>Until when <see cref="ExecutionOwner"/>'s claim is valid unless renewed.</summary>
    public DateTimeOffset? ExecutionLeaseUntil { get; init; }

    public DateTimeOffset? ExecutionStartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>One line on how the execution ended (or why it was interrupted).</summary>
    public string? ResultSummary { get; init; }

    /// <summary>Bumped by the store on every change; lets readers tell two snapshots apart.</summary>
    public long Version { get; init; }

    /// <summary>True once nothing can happen to the request any more.</summary>
    public bool IsFinal => State is RemediationRequestState.Rejected or RemediationRequestState.Expired
        or RemediationRequestState.Executed or RemediationRequestState.Failed or RemediationRequestState.Interrupted
        or RemediationRequestState.Cancelled;

    /// <summary>
    /// A new pending request for <paramref name="plan"/>, binding its rendered command text now. The
    /// approver count is the plan's policy, but never below the two-person rule for a reboot.
    /// </summary>
    /// <exception cref="ArgumentException">The plan is manual, has no commands, or the options are invalid.</exception>
    public static RemediationRequest Create(
        IncidentId incidentId,
        DeviceName device,
        RemediationPlan plan,
        IReadOnlyList<string> rootCauseCodes,
        DateTimeOffset diagnosisAt,
        ChatUser requester,
        ChatChannel channel,
        DateTimeOffset now,
        ApprovalOptions options)
    {
        ArgumentNullException.ThrowIfNull(incidentId);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rootCauseCodes);
        ArgumentNullException.ThrowIfNull(requester);
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        if (plan.Kind is not (RemediationKind.Config or RemediationKind.Reboot))
        {
            throw new ArgumentException($"plan '{plan.Id}' is {plan.Kind}: only config and reboot plans are requested for approval", nameof(plan));
        }

        if (plan.Commands.Count == 0)
        {
            throw new ArgumentException($"plan '{plan.Id}' has no commands", nameof(plan));
        }

        var required = plan.Kind == RemediationKind.Reboot
            ? Math.Max(2, plan.ApproversRequired)
            : Math.Max(1, plan.ApproversRequired);
        return new RemediationRequest
        {
            Id = RemediationRequestId.New(),
            IncidentId = incidentId,
            PlanId = Guard.Token(plan.Id, nameof(plan), 128),
            Device = device,
            Kind = plan.Kind,
            Commands = [.. plan.Commands.Select(c => c.Text)],
            SaveBeforeReboot = plan.Kind == RemediationKind.Reboot && options.SaveBeforeReboot,
            DiagnosisAt = diagnosisAt,
            RootCauseCodes = [.. rootCauseCodes],
            Requester = requester,
            Channel = channel,
            ApproversRequired = required,
            CreatedAt = now,
            ExpiresAt = now + options.RequestLifetime,
        };
    }
}
