namespace NetOpsBot.Cards;

/// <summary>
/// A request was withdrawn: by the bot (the device was fixed elsewhere or another remediation ran on it), or by its
/// requester (<see cref="Withdrawn"/>: the fix is offered again, with a fresh <see cref="Nonce"/>).
/// </summary>
public sealed record RequestCancelled(string PlanId, string RequestId, string Reason, DateTimeOffset At) : DiagnosisCardEvent(At)
{
    public bool Withdrawn { get; init; }

    public string? Nonce { get; init; }
}
