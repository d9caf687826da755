using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Cards;

/// <summary>
/// The run ended: root causes and remediation offers. <paramref name="Runbook"/> is the incident's runbook, whose
/// catalogue says why each fix and in which order (null: the offers keep the runbook's order, without reasons).
/// <paramref name="Nonce"/> binds the offer buttons to this card.
/// </summary>
public sealed record VerdictReached(DiagnosisReport Report, RunbookDefinition? Runbook, string Nonce, DateTimeOffset At) : DiagnosisCardEvent(At);
