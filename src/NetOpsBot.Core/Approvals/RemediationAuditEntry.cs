using System.Text.Json;
using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>
/// One row of the append-only remediation audit: who did what to which request, when, from which channel,
/// and (in <see cref="DetailJson"/>) exactly which commands on which device were at stake.
/// </summary>
public sealed record RemediationAuditEntry(
    RemediationRequestId RequestId,
    IncidentId IncidentId,
    DateTimeOffset At,
    ChatUser Actor,
    ChatChannel Channel,
    RemediationAuditAction Action,
    string Outcome,
    string DetailJson)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Position in the audit log, assigned by the store (0 before it is stored).</summary>
    public long Sequence { get; init; }

    /// <summary>The actor of what the bot does by itself (claim, result, expiry, interruption sweep).</summary>
    public static ChatUser Bot(string instance) => new("netopsbot", instance, "NetOpsBot");

    /// <summary>An entry about <paramref name="request"/> as it stands after the action, with its bound commands.</summary>
    public static RemediationAuditEntry For(
        RemediationRequest request,
        RemediationAuditAction action,
        string outcome,
        ChatUser actor,
        ChatChannel channel,
        DateTimeOffset at,
        string? message = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var detail = new
        {
            device = request.Device.Value,
            kind = request.Kind.ToString(),
            planId = request.PlanId,
            commands = request.Commands,
            saveBeforeReboot = request.SaveBeforeReboot,
            diagnosisAt = request.DiagnosisAt,
            rootCauses = request.RootCauseCodes,
            state = request.State.ToString(),
            approversRequired = request.ApproversRequired,
            approvals = request.Approvals.Select(a => new { platform = a.Approver.Platform, userId = a.Approver.UserId, name = a.Approver.DisplayName, at = a.At }),
            executionOwner = request.ExecutionOwner,
            result = request.ResultSummary,
            message,
        };
        return new RemediationAuditEntry(request.Id, request.IncidentId, at, actor, channel, action, outcome, JsonSerializer.Serialize(detail, Json));
    }

    /// <summary>The audit entry for a click decision; the request snapshot is the one after the click.</summary>
    public static RemediationAuditEntry ForClick(ClickDecision decision, ChatChannel channel, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(decision);
        var action = decision.Outcome switch
        {
            ClickOutcome.Accepted or ClickOutcome.ApprovedComplete => RemediationAuditAction.Approved,
            ClickOutcome.Rejected => RemediationAuditAction.Rejected,
            ClickOutcome.Withdrawn => RemediationAuditAction.Cancelled,
            _ => RemediationAuditAction.ClickRefused,
        };
        return For(decision.Request, action, decision.Outcome.ToString(), decision.Clicker, channel, at, $"{decision.Verb}: {decision.Message}");
    }
}
