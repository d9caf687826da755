using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>Runs a diagnosis runbook against one device.</summary>
public interface IDiagnosisRunner
{
    /// <summary>The runbook's steps (id, title) in display order, so a card can show them all as pending.</summary>
    IReadOnlyList<StepDescriptor> Steps { get; }

    /// <summary>
    /// Never throws for device behaviour (timeouts, garbage, dropped sessions become Error steps); throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    Task<DiagnosisReport> RunAsync(DeviceRef device, IDiagnosisObserver? observer, CancellationToken cancellationToken);
}
