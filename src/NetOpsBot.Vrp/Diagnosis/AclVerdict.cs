namespace NetOpsBot.Vrp.Diagnosis;

/// <summary>How one ACL treats the management source: which rule decided (null = no rule matched) and the ACL's rule lines.</summary>
internal sealed record AclVerdict(string AclRef, string? AclNumber, bool Permitted, AclRule? DecidingRule, IReadOnlyList<AclRule> Rules, string Reason);
