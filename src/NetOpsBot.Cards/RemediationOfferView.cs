using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards;

/// <summary>A remediation the card offers; <see cref="Commands"/> are the exact lines that would be sent.</summary>
public sealed record RemediationOfferView(
    string PlanId,
    string Title,
    IReadOnlyList<string> Commands,
    RemediationKind Kind,
    int ApproversRequired,
    OfferState State)
{
    public IReadOnlyList<ApprovalView> Approvals { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];

    public string? RequestedBy { get; init; }

    /// <summary>The requester as <c>platform:userId</c> (see <see cref="CardViewer"/>).</summary>
    public string? RequesterKey { get; init; }

    /// <summary>When the pending request expires without enough approvals.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Time left before <see cref="ExpiresAt"/> when the card was drawn (set by <see cref="CardViewer.At"/>).</summary>
    public TimeSpan? TimeLeft { get; init; }

    /// <summary>The pending request behind this offer, once someone requested it.</summary>
    public string? RequestId { get; init; }

    /// <summary>Who rejected, or the execution outcome; shown under the offer.</summary>
    public string? StateDetail { get; init; }

    /// <summary>The root-cause code this fix is for (orders the fixes and picks their guidance).</summary>
    public string? Cause { get; init; }

    /// <summary>Why this fix, in one sentence.</summary>
    public string? Why { get; init; }

    /// <summary>What it risks; for a reboot, who loses their session and for how long.</summary>
    public string? Risk { get; init; }

    /// <summary>Set when the evidence says this fix will not help ("expected not to help: the listener is stuck").</summary>
    public string? Expectation { get; init; }

    /// <summary>The buttons that make sense in <see cref="State"/>; empty once nothing can be clicked.</summary>
    public IReadOnlyList<CardButton> Buttons { get; init; } = [];
}
