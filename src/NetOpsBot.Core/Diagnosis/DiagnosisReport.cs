using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>The outcome of one diagnosis run. <see cref="RootCauses"/> may hold several (the reference case has two).</summary>
public sealed record DiagnosisReport(
    DeviceRef Device,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    IReadOnlyList<StepResult> Steps,
    IReadOnlyList<RootCauseFinding> RootCauses,
    IReadOnlyList<RemediationPlan> Remediations)
{
    public IReadOnlyList<string> RootCauseCodes => RootCauses.Select(r => r.Cause.Code).ToList();

    public StepResult? Step(string stepId) => Steps.FirstOrDefault(s => string.Equals(s.StepId, stepId, StringComparison.Ordinal));
}
