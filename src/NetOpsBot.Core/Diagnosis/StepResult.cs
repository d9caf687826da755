using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// One finished runbook step: a one-line <see cref="Finding"/>, the few <see cref="Evidence"/> lines that
/// prove it, and the full <see cref="RawOutput"/> (one click away on the card). All three are device text and
/// pass <see cref="DeviceOutputRedactor"/> here, so no step result (live card, store, chat thread) holds a
/// device secret; parsers read the session's output before a result exists.
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
    public string Finding { get; init; } = DeviceOutputRedactor.Redact(Finding);

    public IReadOnlyList<string> Evidence { get; init; } = DeviceOutputRedactor.Redact(Evidence);

    public string RawOutput { get; init; } = DeviceOutputRedactor.Redact(RawOutput);

    /// <summary>The commands sent for this step, in order (for the card and the postmortem).</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];
}
