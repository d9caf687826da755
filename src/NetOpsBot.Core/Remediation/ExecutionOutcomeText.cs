namespace NetOpsBot.Core.Remediation;

/// <summary>The one line the thread gets when an execution ends.</summary>
public static class ExecutionOutcomeText
{
    /// <summary>
    /// "Done: …", "Failed: …", or "Applied, not effective: &lt;evidence&gt;; next: &lt;what to do&gt;" when the
    /// commands went in but the read-back shows no effect (the reference case's stuck listener): an engineer
    /// who reads "Done" there stops looking, and the switch is still unreachable.
    /// </summary>
    public static string Line(ExecutionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.AppliedNotEffective)
        {
            var evidence = string.Join("; ", result.VerificationEvidence.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            return $"Applied, not effective: {evidence}; next: {result.NextStep}";
        }

        return (result.Succeeded ? "Done: " : "Failed: ") + result.Summary;
    }
}
