using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Alerts;

/// <summary>
/// The host's runner, seen through a storm: a device marked on the <see cref="GatewayDownBoard"/> (its gateway did
/// not answer the storm's one check) gets a report that says so, with the check's evidence, and no root cause, in
/// place of a run that would wait out every timeout behind a dead gateway. Every other run goes to the runbook.
/// </summary>
/// <param name="inner">The runbook's own runner.</param>
/// <param name="runbook">The runbook <paramref name="inner"/> runs: its command word is how a person runs it again.</param>
/// <param name="board">The devices whose gateway a storm found silent.</param>
/// <param name="time">Clock for the report's start.</param>
public sealed class GatewayFirstRunner(IDiagnosisRunner inner, RunbookDefinition runbook, GatewayDownBoard board, TimeProvider time) : IDiagnosisRunner
{
    /// <summary>Step ids of the ssh-unreachable runbook this report fills in (others are shown as not run).</summary>
    private const string GatewayStep = "gateway";
    private const string VerdictStep = "verdict";

    public IReadOnlyList<StepDescriptor> Steps => inner.Steps;

    public Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(runbook);
        if (board.Take(device) is not { GatewayDownLine: { } line } verdict)
        {
            return inner.RunAsync(device, observer, cancellationToken);
        }

        var startedAt = time.GetUtcNow();
        var steps = new List<StepResult>();
        foreach (var s in inner.Steps)
        {
            var result = s.Id switch
            {
                GatewayStep => new StepResult(s.Id, s.Title, StepStatus.Error, line, [verdict.Check.Evidence], string.Empty, TimeSpan.Zero, 1),
                VerdictStep => new StepResult(s.Id, s.Title, StepStatus.Warn, $"Not diagnosed: {line}. Restore {verdict.Gateway.Name.Value} first, then run {runbook.Command} {device.Name.Value}", [], string.Empty, TimeSpan.Zero, 0),
                _ => new StepResult(s.Id, s.Title, StepStatus.Skipped, $"not run: its gateway {verdict.Gateway.Name.Value} does not answer", [], string.Empty, TimeSpan.Zero, 0),
            };
            steps.Add(result);
            Notify(observer, result);
        }

        return Task.FromResult(new DiagnosisReport(device, startedAt, TimeSpan.Zero, steps, [], []));
    }

    private static void Notify(IDiagnosisObserver? observer, StepResult result)
    {
        if (observer is null)
        {
            return;
        }

        // Finished only: nothing ran, so no "started" line; the card still needs every step's end.
        try
        {
            observer.StepFinished(result);
        }
#pragma warning disable CA1031 // an observer (chat card) failure must not stop the report, as in the runbook
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
