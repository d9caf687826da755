namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// One finished runbook step: a one-line <see cref="Finding"/>, the few <see cref="Evidence"/> lines that
/// prove it, and the full <see cref="RawOutput"/> (one click away on the card).
/// </summary>
public sealed record StepResult(
    string StepId,
    string Title,
    StepStatus Status,
    string Finding,
    IReadOnlyList<string> Evidence,
    string RawOutput,
    TimeSpan Duration,
    int Attempts)
{
    /// <summary>The commands sent for this step, in order (for the card and the postmortem).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
}
