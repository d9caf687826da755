namespace NetOpsBot.Core.Diagnosis;

public sealed record StepDescriptor(string Id, string Title);
