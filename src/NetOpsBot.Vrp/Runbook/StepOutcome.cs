using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Vrp.Runbook;

internal sealed record StepOutcome(StepStatus Status, string Finding, IReadOnlyList<string> Evidence);
