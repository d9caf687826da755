namespace NetOpsBot.Cards;

/// <summary>One root cause of the verdict; <see cref="Code"/> is the stable <c>RootCause.Code</c>.</summary>
public sealed record VerdictView(string Code, string Title, string Explanation, string RuleId, string Confidence)
{
    public IReadOnlyList<string> Evidence { get; init; } = [];

    /// <summary>The rule's short statement of the proof, shown on top; empty for verdicts stored without one.</summary>
    public IReadOnlyList<string> KeyEvidence { get; init; } = [];
}
