namespace NetOpsBot.Cards;

/// <summary>
/// The executor finished the plan. <see cref="NotEffective"/>: the commands were sent but the read-back shows the
/// change did not take effect; <see cref="Evidence"/> is what the read-back saw.
/// </summary>
public sealed record ExecutionFinished(string PlanId, bool Succeeded, string Summary, DateTimeOffset At) : DiagnosisCardEvent(At)
{
    public bool NotEffective { get; init; }

    public string? Evidence { get; init; }

    /// <summary>What to do instead, when the executor knows (a stuck listener: the reboot re-binds it).</summary>
    public string? NextStep { get; init; }
}
