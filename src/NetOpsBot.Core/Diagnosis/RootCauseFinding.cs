namespace NetOpsBot.Core.Diagnosis;

/// <summary>A root cause the verdict settled on, with the rule that fired and the lines that prove it.</summary>
public sealed record RootCauseFinding(RootCause Cause, string RuleId, Confidence Confidence, IReadOnlyList<string> Evidence);
