namespace NetOpsBot.Core.Diagnosis;

public enum Confidence
{
    Low,
    Medium,
    High,
}
