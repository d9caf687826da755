using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// The approval rules as a pure function of (request, click, clock). The store runs <see cref="Decide"/>
/// under a lock on the request, so whatever the number of replicas and simultaneous clicks, each click
/// is judged against the state every earlier click left behind.
/// </summary>
public static class ApprovalStateMachine
{
    /// <summary>
    /// Judges one click. Order matters: a closed or expired request refuses everything; the requester is told
    /// they cannot approve their own request before being told anything else; membership is checked now,
    /// at click time; a second approval by the same person counts once.
    /// </summary>
    public static ClickDecision Decide(RemediationRequest request, ClickVerb verb, ChatUser clicker, bool clickerIsApprover, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clicker);
        var what = Describe(request);

        if (request.State == RemediationRequestState.Pending && now >= request.ExpiresAt)
        {
            var expired = request with { State = RemediationRequestState.Expired, FinishedAt = now };
            return new ClickDecision(ClickOutcome.RefusedExpired, $"{what} expired at {Clock(request.ExpiresAt)} UTC without enough approvals; request it again if it is still needed.", expired, verb, clicker) { Changed = true };
        }

        if (request.State == RemediationRequestState.Expired)
        {
            return Unchanged(ClickOutcome.RefusedExpired, $"{what} expired at {Clock(request.ExpiresAt)} UTC; request it again if it is still needed.");
        }

        if (request.State != RemediationRequestState.Pending)
        {
            return Unchanged(ClickOutcome.RefusedClosed, $"{what} is already {Closed(request)}; this click changes nothing.");
        }

        if (verb == ClickVerb.Approve && SamePerson(clicker, request.Requester))
        {
            return Unchanged(ClickOutcome.RefusedSelfApproval, $"{clicker.DisplayName}, you requested {what}: you cannot approve your own request. Another member of the approver group must approve it.");
        }

        if (!clickerIsApprover)
        {
            var action = verb == ClickVerb.Approve ? "approve" : "reject";
            return Unchanged(ClickOutcome.RefusedNotApprover, $"{clicker.DisplayName} is not in the approver group and cannot {action} {what}.");
        }

        if (verb == ClickVerb.Reject)
        {
            var rejected = request with
            {
                State = RemediationRequestState.Rejected,
                RejectedBy = new RequestApproval(clicker, now),
                FinishedAt = now,
            };
            return new ClickDecision(ClickOutcome.Rejected, $"{clicker.DisplayName} rejected {what}. Nothing will run.", rejected, verb, clicker) { Changed = true };
        }

        if (request.Approvals.Any(a => SamePerson(a.Approver, clicker)))
        {
            return Unchanged(ClickOutcome.Duplicate, $"{clicker.DisplayName} already approved {what}; a second click counts once ({Count(request)}).");
        }

        var approvals = request.Approvals.Append(new RequestApproval(clicker, now)).ToList();
        var approved = request with { Approvals = approvals };
        if (approvals.Count >= request.ApproversRequired)
        {
            approved = approved with { State = RemediationRequestState.Approved };
            return new ClickDecision(ClickOutcome.ApprovedComplete, $"{clicker.DisplayName} approved {what} ({Count(approved)}). Approved by {string.Join(" and ", approvals.Select(a => a.Approver.DisplayName))}: executing.", approved, verb, clicker) { Changed = true };
        }

        return new ClickDecision(ClickOutcome.Accepted, $"{clicker.DisplayName} approved {what} ({Count(approved)}); waiting for {request.ApproversRequired - approvals.Count} more from a different approver.", approved, verb, clicker) { Changed = true };

        ClickDecision Unchanged(ClickOutcome outcome, string message) => new(outcome, message, request, verb, clicker);
    }

    /// <summary>
    /// True when the diagnosis behind <paramref name="request"/> is older than <paramref name="maxDiagnosisAge"/>:
    /// the device may have changed since, so the caller re-runs the diagnosis before executing.
    /// </summary>
    public static bool NeedsRecheck(RemediationRequest request, DateTimeOffset now, TimeSpan maxDiagnosisAge)
    {
        ArgumentNullException.ThrowIfNull(request);
        return now - request.DiagnosisAt > maxDiagnosisAge;
    }

    /// <summary>
    /// True when a re-check found other root causes (order does not matter) or would bind other commands
    /// (order matters: it is the order they run in). Then the approvals no longer cover what would run.
    /// </summary>
    public static bool EvidenceChanged(IEnumerable<string> oldCodes, IEnumerable<string> newCodes, IEnumerable<string> oldCommands, IEnumerable<string> newCommands)
    {
        ArgumentNullException.ThrowIfNull(oldCodes);
        ArgumentNullException.ThrowIfNull(newCodes);
        ArgumentNullException.ThrowIfNull(oldCommands);
        ArgumentNullException.ThrowIfNull(newCommands);
        return !new HashSet<string>(oldCodes, StringComparer.Ordinal).SetEquals(newCodes)
            || !oldCommands.SequenceEqual(newCommands, StringComparer.Ordinal);
    }

    /// <summary>Platform and user id identify a person; display names change and are not identity.</summary>
    public static bool SamePerson(ChatUser a, ChatUser b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Platform, b.Platform, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.UserId, b.UserId, StringComparison.Ordinal);
    }

    private static string Describe(RemediationRequest r) => r.Kind == RemediationKind.Reboot
        ? $"the reboot of {r.Device.Value} ({r.Id.Value})"
        : $"the config fix on {r.Device.Value} ({r.Id.Value})";

    private static string Count(RemediationRequest r) => $"{r.Approvals.Count} of {r.ApproversRequired} approvals";

    private static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    private static string Closed(RemediationRequest r) => r.State switch
    {
        RemediationRequestState.Approved => "approved",
        RemediationRequestState.Rejected => $"rejected{(r.RejectedBy is { } by ? " by " + by.Approver.DisplayName : "")}",
        RemediationRequestState.Executing => "executing",
        RemediationRequestState.Executed => "executed",
        RemediationRequestState.Failed => "finished (failed)",
        RemediationRequestState.Interrupted => "interrupted",
        RemediationRequestState.Cancelled => r.ResultSummary is { } why ? $"cancelled ({why})" : "cancelled",
        _ => r.State.ToString().ToLowerInvariant(),
    };
}
