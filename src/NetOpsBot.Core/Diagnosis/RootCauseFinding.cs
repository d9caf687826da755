namespace NetOpsBot.Core.Diagnosis;

/// <summary>A root cause the verdict settled on, with the rule that fired and the lines that prove it.</summary>
public sealed record RootCauseFinding(RootCause Cause, string RuleId, Confidence Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>
    /// The proof in a few short facts a person reads at a glance ("display tcp status: listening on 64443, nothing on
    /// 22", "22: refused (RST)"), written by the rule from what the steps learned; <see cref="Evidence"/> stays the full
    /// record. Empty when the rule states none (readers then quote the evidence's first lines).
    /// </summary>
    public IReadOnlyList<string> KeyEvidence { get; init; } = [];
}
