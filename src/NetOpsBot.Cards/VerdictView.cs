namespace NetOpsBot.Cards;

/// <summary>One root cause of the verdict; <see cref="Code"/> is the stable <c>RootCause.Code</c>.</summary>
public sealed record VerdictView(string Code, string Title, string Explanation, string RuleId, string Confidence)
{
    public IReadOnlyList<string> Evidence { get; init; } = [];
}
