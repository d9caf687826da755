namespace NetOpsBot.Core.Remediation;

public sealed record ApprovalCheck(bool Satisfied, int ValidApprovals, int Missing);
