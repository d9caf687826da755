namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// Live progress of a run (the card updates in place). Calls may come from concurrent steps (the gateway
/// step runs beside the device steps), so implementations must be thread-safe and quick; an exception
/// thrown here is swallowed by the runner rather than failing the diagnosis.
/// </summary>
public interface IDiagnosisObserver
{
    void StepStarted(string stepId, string title);

    void StepFinished(StepResult result);
}
