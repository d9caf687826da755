namespace NetOpsBot.Cards;

/// <summary>Someone asked to run a plan that needs approval; <paramref name="Nonce"/> binds the approve/reject buttons.</summary>
public sealed record ApprovalRequested(string PlanId, string Requester, string Nonce, DateTimeOffset At) : DiagnosisCardEvent(At)
{
    /// <summary>What approvers must know at request time, e.g. the unsaved changes a reboot saves or loses.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The stored request; its approve/reject buttons name it.</summary>
    public string? RequestId { get; init; }

    /// <summary>The exact commands the request bound (shown on the card; the buttons carry their hash). Null: the offer's.</summary>
    public IReadOnlyList<string>? Commands { get; init; }

    /// <summary>The requester as <c>platform:userId</c>: their own view has Withdraw instead of Approve.</summary>
    public string? RequesterKey { get; init; }

    /// <summary>When the request expires without enough approvals.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
