namespace NetOpsBot.Core.Diagnosis;

public enum StepStatus
{
    Ok,
    Warn,
    Fail,
    Skipped,

    /// <summary>The step could not run or its output was not understood; says nothing about the device.</summary>
    Error,
}
