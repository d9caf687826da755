namespace NetOpsBot.Cards.Tests;

public sealed class DiagnosisCardViewBuilderTests
{
    [Fact]
    public void Start_Runbook_AllStepsPendingAndRunning()
    {
        var view = CardFixtures.Fresh();

        Assert.Equal(CardRunStatus.Running, view.Status);
        Assert.Equal(CardFixtures.Runbook.Select(s => s.Id), view.Steps.Select(s => s.Id));
        Assert.All(view.Steps, s => Assert.Equal(CardStepStatus.Pending, s.Status));
        Assert.Empty(view.Offers);
    }

    [Fact]
    public void Apply_StepStartedThenFinished_ShowsRunningThenResult()
    {
        var running = DiagnosisCardViewBuilder.Apply(CardFixtures.Fresh(), new StepStarted("listener", CardFixtures.T0.AddSeconds(2)));
        Assert.Equal(CardStepStatus.Running, running.Steps.Single(s => s.Id == "listener").Status);
        Assert.Equal(TimeSpan.FromSeconds(2), running.Elapsed);

        var done = DiagnosisCardViewBuilder.Apply(running, new StepFinished(CardFixtures.SeedSteps[4], CardFixtures.T0.AddSeconds(3)));
        var step = done.Steps.Single(s => s.Id == "listener");
        Assert.Equal(CardStepStatus.Fail, step.Status);
        Assert.Contains("64443", step.Finding, StringComparison.Ordinal);
        Assert.True(step.HasFullOutput);
        Assert.Equal(new Uri("https://netopsbot.example.test/incidents/INC-20261124-0007/steps/listener/output"), step.FullOutputUrl);
    }

    [Fact]
    public void Apply_LateEvent_ElapsedNeverGoesBack()
    {
        var view = DiagnosisCardViewBuilder.ApplyAll(CardFixtures.Fresh(),
            [new StepStarted("access", CardFixtures.T0.AddSeconds(5)), new StepStarted("gateway", CardFixtures.T0.AddSeconds(1))]);

        Assert.Equal(TimeSpan.FromSeconds(5), view.Elapsed);
    }

    [Fact]
    public void FromReport_SeedCase_TwoVerdictsAndThreeOffers()
    {
        var view = CardFixtures.SeedFinal();

        Assert.Equal(CardRunStatus.Done, view.Status);
        Assert.Equal(["return-route-missing", "listener-stuck"], view.Verdicts.Select(v => v.Code));
        Assert.Equal(["route-default", "ssh-port-22", "reboot"], view.Offers.Select(o => o.PlanId));
        var reboot = view.Offers.Single(o => o.PlanId == "reboot");
        Assert.Equal(2, reboot.ApproversRequired);
        Assert.Equal(["save", "reboot"], reboot.Commands);
        var run = Assert.Single(reboot.Buttons);
        Assert.Equal(CardActionVerb.Run, run.Action.Verb);
        Assert.NotNull(run.ConfirmText);
        Assert.Null(view.Offers[0].Buttons.Single().ConfirmText);
    }

    [Fact]
    public void Buttons_CarryTheHashOfTheCommandsShownAndTheRequestTheyApprove()
    {
        var offered = CardFixtures.SeedFinal().Offers.Single(o => o.PlanId == "reboot");
        var requested = DiagnosisCardViewBuilder.Apply(CardFixtures.SeedFinal(), new ApprovalRequested("reboot", "alice", "n-7", CardFixtures.T0.AddMinutes(2))
        {
            RequestId = "REQ-ABCD2345",
            Commands = ["save", "reboot"],
        }).Offers.Single(o => o.PlanId == "reboot");

        Assert.Equal("fbe7072834268c1a", offered.Buttons.Single().Action.CommandsHash);
        Assert.Equal(["save", "reboot"], requested.Commands);
        Assert.All(requested.Buttons, b => Assert.Equal(("REQ-ABCD2345", "fbe7072834268c1a"), (b.Action.RequestId, b.Action.CommandsHash)));
    }

    [Fact]
    public void Apply_RequestCancelled_OfferCancelledWithReasonAndNoButtons()
    {
        var pending = DiagnosisCardViewBuilder.Apply(CardFixtures.SeedFinal(), new ApprovalRequested("reboot", "alice", "n-7", CardFixtures.T0.AddMinutes(2)) { RequestId = "REQ-ABCD2345" });

        var other = DiagnosisCardViewBuilder.Apply(pending, new RequestCancelled("reboot", "REQ-OTHER234", "x", CardFixtures.T0.AddMinutes(3)));
        var view = DiagnosisCardViewBuilder.Apply(pending, new RequestCancelled("reboot", "REQ-ABCD2345", "sw-access-12 was fixed by INC-2", CardFixtures.T0.AddMinutes(3)));

        Assert.Equal(OfferState.PendingApproval, other.Offers.Single(o => o.PlanId == "reboot").State);
        var reboot = view.Offers.Single(o => o.PlanId == "reboot");
        Assert.Equal((OfferState.Cancelled, "cancelled: sw-access-12 was fixed by INC-2"), (reboot.State, reboot.StateDetail));
        Assert.Empty(reboot.Buttons);
        Assert.Equal("cancelled", CardText.Label(OfferState.Cancelled));
    }

    [Fact]
    public void Apply_SameApproverTwice_CountsOnce()
    {
        var view = DiagnosisCardViewBuilder.Apply(CardFixtures.ApprovalPending(), new ApprovalAdded("reboot", "bob", CardFixtures.T0.AddMinutes(4)));

        var reboot = view.Offers.Single(o => o.PlanId == "reboot");
        Assert.Single(reboot.Approvals);
        Assert.Equal(OfferState.PendingApproval, reboot.State);
        // Approvers get Approve and Reject, the requester Withdraw (CardViewer picks per person).
        Assert.Equal([CardActionVerb.Approve, CardActionVerb.Reject, CardActionVerb.Withdraw], reboot.Buttons.Select(b => b.Action.Verb));
    }

    [Fact]
    public void Apply_SecondDistinctApprover_ApprovesAndRemovesButtons()
    {
        var reboot = CardFixtures.Approved().Offers.Single(o => o.PlanId == "reboot");

        Assert.Equal(OfferState.Approved, reboot.State);
        Assert.Equal(["bob", "carol"], reboot.Approvals.Select(a => a.User));
        Assert.Empty(reboot.Buttons);
    }

    [Fact]
    public void Apply_RejectAndExecution_EndStatesWithDetail()
    {
        var view = CardFixtures.Approved();

        var route = view.Offers.Single(o => o.PlanId == "route-default");
        Assert.Equal(OfferState.Rejected, route.State);
        Assert.Equal("rejected by bob: wrong gateway", route.StateDetail);
        var port = view.Offers.Single(o => o.PlanId == "ssh-port-22");
        Assert.Equal(OfferState.Done, port.State);
        Assert.StartsWith("succeeded: ", port.StateDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_ApprovalForOfferNotRequested_IsIgnored()
    {
        var view = DiagnosisCardViewBuilder.Apply(CardFixtures.SeedFinal(), new ApprovalAdded("reboot", "bob", CardFixtures.T0.AddMinutes(1)));

        Assert.Empty(view.Offers.Single(o => o.PlanId == "reboot").Approvals);
    }

    [Fact]
    public void Apply_Interrupted_MarksRunAndSkipsUnfinished()
    {
        var view = CardFixtures.Interrupted();

        Assert.Equal(CardRunStatus.Interrupted, view.Status);
        Assert.DoesNotContain(view.Steps, s => s.Status is CardStepStatus.Pending or CardStepStatus.Running);
        Assert.Equal(CardStepStatus.Fail, view.Steps.Single(s => s.Id == "access").Status);
    }

    [Fact]
    public void Apply_UnannouncedStep_IsAppended()
    {
        var extra = CardFixtures.SeedSteps[0] with { StepId = "console", Title = "Console" };
        var view = DiagnosisCardViewBuilder.Apply(CardFixtures.Fresh(), new StepFinished(extra, CardFixtures.T0));

        Assert.Equal("console", view.Steps[^1].Id);
    }

    [Fact]
    public void Start_LinkTemplateNotHttp_Throws()
    {
        Assert.Throws<ArgumentException>(() => DiagnosisCardViewBuilder.Start("INC-1", "sw", "a", CardFixtures.T0, CardFixtures.Runbook, new CardLinks("javascript:alert(1)//{incidentId}", null)));
    }
}
