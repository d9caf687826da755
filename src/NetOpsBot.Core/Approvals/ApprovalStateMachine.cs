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
    /// Judges one click from an account with no directory behind it: the account is the person, the click comes
    /// from the request's own conversation. For tests of the rules that do not involve people or channels.
    /// </summary>
    public static ClickDecision Decide(RemediationRequest request, ClickVerb verb, ChatUser clicker, bool clickerIsApprover, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Decide(request, verb, new ClickContext(clicker, request.Channel) { ClickerIsApprover = clickerIsApprover }, now);
    }

    /// <summary>
    /// Judges one click. Order matters: a click from outside the request's conversation changes nothing at all;
    /// a closed or expired request refuses everything; the requester (on any of their accounts) is told they
    /// cannot approve their own request before being told anything else; membership is checked now, at click
    /// time; a second approval by the same person (on any of their accounts) counts once.
    /// </summary>
    public static ClickDecision Decide(RemediationRequest request, ClickVerb verb, ClickContext click, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(click);
        var clicker = click.Clicker;
        ArgumentNullException.ThrowIfNull(clicker);

        // Withdraw is the requester's own button and never counts as an approval or a rejection.
        if (verb == ClickVerb.Withdraw)
        {
            return WithdrawalRule.Decide(request, click, now);
        }

        var what = Describe(request);

        // The incident's conversation is where the request, its card and its approvers are; a button elsewhere
        // (another platform, another channel) is not a place anyone agreed to approve from.
        if (!SameConversation(request.Channel, click.Channel))
        {
            return Unchanged(ClickOutcome.RefusedOtherConversation, $"{clicker.DisplayName}: {what} was requested in its incident's {request.Channel.Platform} conversation, and only clicks there count; this click from {click.Channel.Platform} changes nothing.");
        }

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

        if (verb == ClickVerb.Approve && (SamePerson(clicker, request.Requester) || SamePersonId(click.ClickerPersonId, click.RequesterPersonId)))
        {
            var other = SamePerson(clicker, request.Requester) ? string.Empty : $" (as {request.Requester.Platform}:{request.Requester.UserId}; another account of yours does not make another approver)";
            return Unchanged(ClickOutcome.RefusedSelfApproval, $"{clicker.DisplayName}, you requested {what}{other}: you cannot approve your own request. Another member of the approver group must approve it.");
        }

        if (!click.ClickerIsApprover)
        {
            var action = verb == ClickVerb.Approve ? "approve" : "reject";
            var nobody = click.ClickerPersonId is null ? " (this account belongs to no person of the approver directory)" : string.Empty;
            return Unchanged(ClickOutcome.RefusedNotApprover, $"{clicker.DisplayName} is not in the approver group{nobody} and cannot {action} {what}.");
        }

        if (verb == ClickVerb.Reject)
        {
            var rejected = request with
            {
                State = RemediationRequestState.Rejected,
                RejectedBy = new RequestApproval(clicker, now) { PersonId = click.ClickerPersonId },
                FinishedAt = now,
            };
            return new ClickDecision(ClickOutcome.Rejected, $"{clicker.DisplayName} rejected {what}. Nothing will run.", rejected, verb, clicker) { Changed = true };
        }

        if (request.Approvals.FirstOrDefault(a => SamePerson(a.Approver, clicker) || SamePersonId(a.PersonId, click.ClickerPersonId)) is { } earlier)
        {
            var how = SamePerson(earlier.Approver, clicker)
                ? "a second click counts once"
                : $"as {earlier.Approver.Platform}:{earlier.Approver.UserId}, and one person counts once whatever account they use";
            return Unchanged(ClickOutcome.Duplicate, $"{clicker.DisplayName} already approved {what}; {how} ({Count(request)}).");
        }

        var approvals = request.Approvals.Append(new RequestApproval(clicker, now) { PersonId = click.ClickerPersonId }).ToList();
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

    /// <summary>
    /// True when a click from <paramref name="click"/> is in <paramref name="request"/>'s conversation: the same
    /// platform and channel (or chat). The thread is not compared: a card and its replies share the channel.
    /// </summary>
    public static bool SameConversation(ChatChannel request, ChatChannel click)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(click);
        return string.Equals(request.Platform, click.Platform, StringComparison.OrdinalIgnoreCase)
            && string.Equals(request.ChannelId, click.ChannelId, StringComparison.Ordinal);
    }

    /// <summary>The same account: platform and user id (display names change and are not identity). See also person ids.</summary>
    public static bool SamePerson(ChatUser a, ChatUser b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return string.Equals(a.Platform, b.Platform, StringComparison.OrdinalIgnoreCase)
            && string.Equals(a.UserId, b.UserId, StringComparison.Ordinal);
    }

    internal static bool SamePersonId(string? a, string? b) => a is not null && b is not null && string.Equals(a, b, StringComparison.Ordinal);

    internal static string Describe(RemediationRequest r) => r.Kind == RemediationKind.Reboot
        ? $"the reboot of {r.Device.Value} ({r.Id.Value})"
        : $"the config fix on {r.Device.Value} ({r.Id.Value})";

    private static string Count(RemediationRequest r) => $"{r.Approvals.Count} of {r.ApproversRequired} approvals";

    internal static string Clock(DateTimeOffset t) => t.UtcDateTime.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    internal static string Closed(RemediationRequest r) => r.State switch
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
