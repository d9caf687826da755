using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Cards;

/// <summary>The run ended: root causes and remediation offers. <paramref name="Nonce"/> binds the offer buttons to this card.</summary>
public sealed record VerdictReached(DiagnosisReport Report, string Nonce, DateTimeOffset At) : DiagnosisCardEvent(At);
