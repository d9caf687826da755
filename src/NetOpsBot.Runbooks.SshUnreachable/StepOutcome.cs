using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Runbooks.SshUnreachable;

internal sealed record StepOutcome(StepStatus Status, string Finding, IReadOnlyList<string> Evidence);
