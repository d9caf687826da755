using NetOpsBot.Core.Incidents;

namespace NetOpsBot.Core.Approvals;

/// <summary>One counted approval (or the rejection) of a remediation request: who and when.</summary>
public sealed record RequestApproval(ChatUser Approver, DateTimeOffset At);
