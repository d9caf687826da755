using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Core.Runbooks;

/// <summary>One entry of a runbook's root-cause catalogue: its persisted code, title, severity and what it means.</summary>
public sealed record RunbookCause(RootCause Cause, RootCauseSeverity Severity)
{
    public string Code => Cause.Code;

    public string Title => Cause.Title;

    /// <summary>What the cause means and how it is fixed, in a sentence or three.</summary>
    public string Meaning => Cause.Explanation;
}
