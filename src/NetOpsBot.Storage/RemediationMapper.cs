using System.Text.Json;
using NetOpsBot.Core.Approvals;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Storage.Entities;

namespace NetOpsBot.Storage;

/// <summary>Remediation rows ↔ domain records. Reading back goes through the domain's validating parsers.</summary>
internal static class RemediationMapper
{
    public static RemediationRequestRow ToRow(RemediationRequest r) => new()
    {
        Id = r.Id.Value,
        IncidentId = r.IncidentId.Value,
        PlanId = r.PlanId,
        DeviceName = r.Device.Value,
        Kind = r.Kind.ToString(),
        Commands = JsonSerializer.Serialize(r.Commands),
        SaveBeforeReboot = r.SaveBeforeReboot,
        DiagnosisAt = Instants.Normalize(r.DiagnosisAt),
        RootCauses = RowMapper.JoinCodes(r.RootCauseCodes),
        RequesterPlatform = r.Requester.Platform,
        RequesterUserId = r.Requester.UserId,
        RequesterDisplayName = r.Requester.DisplayName,
        ChannelPlatform = r.Channel.Platform,
        ChannelId = r.Channel.ChannelId,
        ThreadId = r.Channel.ThreadId,
        ApproversRequired = r.ApproversRequired,
        CreatedAt = Instants.Normalize(r.CreatedAt),
        ExpiresAt = Instants.Normalize(r.ExpiresAt),
        State = r.State.ToString(),
        Version = 1,
    };

    /// <summary>Copies what a click may change onto a tracked row (the immutable binding is never touched).</summary>
    public static void ApplyClick(RemediationRequest r, RemediationRequestRow row)
    {
        row.State = r.State.ToString();
        row.RejectedByPlatform = r.RejectedBy?.Approver.Platform;
        row.RejectedByUserId = r.RejectedBy?.Approver.UserId;
        row.RejectedByDisplayName = r.RejectedBy?.Approver.DisplayName;
        row.RejectedAt = r.RejectedBy is { } by ? Instants.Normalize(by.At) : null;
        row.FinishedAt = r.FinishedAt is { } f ? Instants.Normalize(f) : null;

        // A withdrawal says who took the request back; other clicks leave the summary as it was.
        row.ResultSummary = r.ResultSummary;
        row.Version++;
    }

    public static RemediationApprovalRow ToRow(RemediationRequestId id, RequestApproval a) => new()
    {
        RequestId = id.Value,
        ApproverPlatform = a.Approver.Platform,
        ApproverUserId = a.Approver.UserId,
        ApproverDisplayName = a.Approver.DisplayName,
        ApproverPersonId = a.PersonId,
        At = Instants.Normalize(a.At),
    };

    public static RemediationRequest ToRequest(RemediationRequestRow row, IEnumerable<RemediationApprovalRow> approvals) => new()
    {
        Id = RemediationRequestId.Parse(row.Id),
        IncidentId = IncidentId.Parse(row.IncidentId),
        PlanId = row.PlanId,
        Device = DeviceName.Parse(row.DeviceName),
        Kind = Enum.Parse<RemediationKind>(row.Kind),
        Commands = JsonSerializer.Deserialize<List<string>>(row.Commands) ?? [],
        SaveBeforeReboot = row.SaveBeforeReboot,
        DiagnosisAt = row.DiagnosisAt,
        RootCauseCodes = row.RootCauses.Length == 0 ? [] : row.RootCauses.Split(','),
        Requester = new ChatUser(row.RequesterPlatform, row.RequesterUserId, row.RequesterDisplayName),
        Channel = new ChatChannel(row.ChannelPlatform, row.ChannelId, row.ThreadId),
        ApproversRequired = row.ApproversRequired,
        CreatedAt = row.CreatedAt,
        ExpiresAt = row.ExpiresAt,
        State = Enum.Parse<RemediationRequestState>(row.State),
        Approvals = [.. approvals.OrderBy(a => a.At).ThenBy(a => a.ApproverPlatform, StringComparer.Ordinal).ThenBy(a => a.ApproverUserId, StringComparer.Ordinal)
            .Select(a => new RequestApproval(new ChatUser(a.ApproverPlatform, a.ApproverUserId, a.ApproverDisplayName), a.At) { PersonId = a.ApproverPersonId })],
        RejectedBy = row.RejectedByPlatform is not null && row.RejectedByUserId is not null && row.RejectedAt is { } at
            ? new RequestApproval(new ChatUser(row.RejectedByPlatform, row.RejectedByUserId, row.RejectedByDisplayName ?? row.RejectedByUserId), at)
            : null,
        ExecutionOwner = row.ExecutionOwner,
        ExecutionLeaseUntil = row.LeaseUntil,
        ExecutionStartedAt = row.ExecutionStartedAt,
        FinishedAt = row.FinishedAt,
        ResultSummary = row.ResultSummary,
        Version = row.Version,
    };

    public static RemediationAuditRow ToRow(RemediationAuditEntry e) => new()
    {
        RequestId = e.RequestId.Value,
        IncidentId = e.IncidentId.Value,
        At = Instants.Normalize(e.At),
        ActorPlatform = e.Actor.Platform,
        ActorId = e.Actor.UserId,
        ActorDisplayName = e.Actor.DisplayName,
        ChannelPlatform = e.Channel.Platform,
        ChannelId = e.Channel.ChannelId,
        ThreadId = e.Channel.ThreadId,
        Action = e.Action.ToString(),
        Outcome = e.Outcome,
        Detail = e.DetailJson,
    };

    public static RemediationAuditEntry ToEntry(RemediationAuditRow row) =>
        new(
            RemediationRequestId.Parse(row.RequestId),
            IncidentId.Parse(row.IncidentId),
            row.At,
            new ChatUser(row.ActorPlatform, row.ActorId, row.ActorDisplayName),
            new ChatChannel(row.ChannelPlatform, row.ChannelId, row.ThreadId),
            Enum.Parse<RemediationAuditAction>(row.Action),
            row.Outcome,
            row.Detail)
        {
            Sequence = row.Id,
        };
}
