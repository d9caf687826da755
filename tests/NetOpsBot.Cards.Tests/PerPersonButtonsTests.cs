using NetOpsBot.Core.Incidents;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Issue 17, per-person buttons: one view, seen by the requester (Withdraw, no Approve), an approver (Approve and
/// Reject, no Withdraw), anyone else (none), or the whole channel at once (all of them, judged at click time). The
/// approvals line names the deadline and the time left; a withdrawn request is offered again.
/// </summary>
public sealed class PerPersonButtonsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 4, 0, 0, TimeSpan.Zero);
    private const string Plan = "listener-stuck.reboot";

    [Fact]
    public void Sees_RequesterGetsWithdrawOnly_ApproverApproveAndReject_OthersNone_ChannelAll()
    {
        var view = Pending();

        Assert.Equal([CardActionVerb.Withdraw], Verbs(new CardViewer("webchat:alice", IsApprover: true).Sees(view)));
        Assert.Equal([CardActionVerb.Approve, CardActionVerb.Reject], Verbs(new CardViewer("webchat:bob", IsApprover: true).Sees(view)));
        Assert.Empty(Verbs(new CardViewer("webchat:dave", IsApprover: false).Sees(view)));
        Assert.Empty(Verbs(new CardViewer(null, IsApprover: false).Sees(view)));
        Assert.Equal([CardActionVerb.Approve, CardActionVerb.Reject, CardActionVerb.Withdraw], Verbs(CardViewer.Channel.Sees(view)));
    }

    [Fact]
    public void Buttons_CarryTheRequester_ForClientsThatDrawOneCardForSeveralPeople()
    {
        var withdraw = Pending().Offers[0].Buttons.Single(b => b.Action.Verb == CardActionVerb.Withdraw);
        Assert.Equal("webchat:alice", (string?)withdraw.Action.ToData()["requester"]);
        Assert.Equal("withdraw", (string?)withdraw.Action.ToData()["verb"]);
        Assert.True(CardAction.TryFromData(withdraw.Action.ToData(), out var parsed));
        Assert.Equal(CardActionVerb.Withdraw, parsed.Verb);
    }

    [Fact]
    public void Expiry_ShowsTheDeadlineAndTheTimeLeft_OnBothRenderers()
    {
        var view = CardViewer.At(Pending(), T0.AddMinutes(6).AddSeconds(10));

        Assert.Equal("2026-12-06 04:15:00 UTC (9 min left)", CardViewer.Expiry(view.Offers[0]));
        Assert.Contains("2026-12-06 04:15:00 UTC (9 min left)", AdaptiveCardRenderer.Render(view).ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("expires 2026-12-06 04:15:00 UTC (9 min left)", BlockKitRenderer.Render(view).ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("2026-12-06 04:15:00 UTC (expired)", CardViewer.Expiry(CardViewer.At(Pending(), T0.AddMinutes(20)).Offers[0]));
    }

    [Fact]
    public void Withdrawn_OfferedAgain_WithTheReason_BotCancellation_EndsTheOffer()
    {
        var withdrawn = DiagnosisCardViewBuilder.Apply(Pending(), new RequestCancelled(Plan, "REQ-1", "withdrawn by Alice", T0.AddMinutes(2)) { Withdrawn = true, Nonce = "n2" });
        var offer = withdrawn.Offers[0];
        Assert.Equal((OfferState.Offered, "withdrawn by Alice", (string?)null), (offer.State, offer.StateDetail, offer.RequestId));
        Assert.Equal([CardActionVerb.Run], offer.Buttons.Select(b => b.Action.Verb));

        var cancelled = DiagnosisCardViewBuilder.Apply(Pending(), new RequestCancelled(Plan, "REQ-1", "sw-access-12 was fixed by INC-1", T0.AddMinutes(2)));
        Assert.Equal((OfferState.Cancelled, 0), (cancelled.Offers[0].State, cancelled.Offers[0].Buttons.Count));
    }

    [Fact]
    public void KeyOfActor_ReadsTheAccountOfATimelineActor()
    {
        Assert.Equal("slack:U0ALICE001", CardViewer.KeyOfActor(new ChatUser("slack", "U0ALICE001", "Alice (ops)").ToString()));
        Assert.Null(CardViewer.KeyOfActor("netopsbot"));
    }

    private static DiagnosisCardView Pending()
    {
        var view = new DiagnosisCardView("INC-00000001", "sw-access-12", "alice", CardRunStatus.Done, T0, TimeSpan.FromSeconds(5))
        {
            Offers = [new RemediationOfferView(Plan, "Save and reboot", ["save", "reboot"], RemediationKind.Reboot, 2, OfferState.Offered)],
        };
        return DiagnosisCardViewBuilder.Apply(view, new ApprovalRequested(Plan, "alice", "n1", T0)
        {
            RequestId = "REQ-1",
            RequesterKey = "webchat:alice",
            ExpiresAt = T0.AddMinutes(15),
        });
    }

    private static List<CardActionVerb> Verbs(DiagnosisCardView view) => [.. view.Offers.SelectMany(o => o.Buttons).Select(b => b.Action.Verb).Order()];
}
