using NetOpsBot.Core.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>
/// Issue 14, design change 1: one read model from the typed timeline. The reference case reads the same whether its
/// rows were written before typed events (upgraded on read) or after.
/// </summary>
public sealed class IncidentStoryTests
{
    public static TheoryData<bool> LegacyOrTyped() => new() { true, false };

    private static IncidentStory Story(bool legacy) =>
        IncidentStory.Build(ReferenceCaseTimeline.Incident, legacy ? ReferenceCaseTimeline.Legacy() : ReferenceCaseTimeline.Typed(), SshUnreachableRunbook.Definition);

    [Theory]
    [MemberData(nameof(LegacyOrTyped))]
    public void ReferenceCase_RootCausesAreWhatItWasOpenedForAndFixed_NotTheLastHealthyRun(bool legacy)
    {
        var story = Story(legacy);

        Assert.Equal(["listener-stuck", "return-route-missing"], story.RootCauses.Select(c => c.Cause.Code));
        Assert.All(story.RootCauses, c => Assert.Equal(1, c.FirstRun));
        Assert.Equal("REQ-3", Assert.Single(story.RootCauses[0].FixedBy).RequestId);
        Assert.Equal("REQ-1", Assert.Single(story.RootCauses[1].FixedBy).RequestId);
        Assert.Contains("0.0.0.0:64443  Listening", story.RootCauses[0].Cause.Evidence);
    }

    [Theory]
    [MemberData(nameof(LegacyOrTyped))]
    public void ReferenceCase_RunsKeepTheirOwnStepsAndVerdicts(bool legacy)
    {
        var story = Story(legacy);

        Assert.Equal(
            [DiagnosisRun.Initial, RediagnosisStartedEvent.AfterFix, RediagnosisStartedEvent.AfterFix, RediagnosisStartedEvent.Recheck, RediagnosisStartedEvent.AfterFix],
            story.Runs.Select(r => r.Reason));
        Assert.Equal([null, "REQ-1", "REQ-2", "REQ-3", "REQ-3"], story.Runs.Select(r => r.AfterRequestId));
        Assert.All(story.Runs, r => Assert.Equal(3, r.Steps.Count));
        Assert.Equal(["listener-stuck", "return-route-missing"], story.Runs[0].Verdict!.Codes);
        Assert.True(story.Runs[^1].Healthy);

        // The full output of the first run's step stays reachable after four more runs.
        Assert.Contains("64443", story.Step("listener", run: 1)!.Result.RawOutput, StringComparison.Ordinal);
        Assert.Contains(":22 Listening", story.Step("listener")!.Result.RawOutput, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LegacyOrTyped))]
    public void ReferenceCase_FixesCarryRequesterApproversCommandsAndReadBack(bool legacy)
    {
        var story = Story(legacy);

        Assert.Equal(["REQ-1", "REQ-2", "REQ-3"], story.Fixes.Select(f => f.RequestId));
        Assert.All(story.Fixes, f => Assert.Equal("Alice", f.Requester));
        Assert.Equal(["bob"], story.Fixes[0].Approvals.Select(a => a.Approver));
        Assert.Equal(["bob", "carol"], story.Fixes[2].Approvals.Select(a => a.Approver));
        Assert.Equal([FixOutcome.Effective, FixOutcome.NotEffective, FixOutcome.Effective], story.Fixes.Select(f => f.Outcome));
        Assert.StartsWith("applied, not effective", story.Fixes[1].ResultText, StringComparison.Ordinal);
        Assert.Equal(["save", "reboot"], story.Fixes[2].Execution!.Commands.Select(c => c.Command));
        Assert.True(story.Fixes[2].Recovery!.SshLoginWorks);
        Assert.Equal(["default route", "reboot"], story.EffectiveFixes.Select(f => f.Name));
    }

    [Theory]
    [MemberData(nameof(LegacyOrTyped))]
    public void ReferenceCase_TimingsAndHeadline(bool legacy)
    {
        var story = Story(legacy);

        Assert.True(story.Closed);
        Assert.Equal(TimeSpan.FromSeconds(8), story.TimeToDiagnose);
        Assert.Equal(TimeSpan.FromSeconds(20 + 10 + 20), story.TimeToApprove);
        Assert.Equal(TimeSpan.FromSeconds(291), story.TimeToResolve);
        Assert.NotNull(story.TimeToRecover);
        Assert.Equal(
            "Resolved in 4 min 51 s: listener stuck on 64443 and no return route; fixed by default route (bob) and reboot (bob, carol)",
            story.Headline());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadBackSaysNotVerified_FixIsAppliedNotEffective_WithTheEvidence(bool executorCallsItSucceeded)
    {
        var rows = ReferenceCaseTimeline.Typed().ToList();
        var i = rows.FindIndex(r => IncidentEvents.Read(r) is ExecutionFinishedEvent { RequestId: "REQ-2" });
        var finished = (ExecutionFinishedEvent)IncidentEvents.Read(rows[i]);
        rows[i] = rows[i] with { Data = IncidentEvents.Serialize(finished with { Succeeded = executorCallsItSucceeded, Verified = false, VerificationEvidence = "still listening on 0.0.0.0:64443" }) };

        var fix = IncidentStory.Build(ReferenceCaseTimeline.Incident, rows, SshUnreachableRunbook.Definition).Fixes[1];

        Assert.Equal(FixOutcome.NotEffective, fix.Outcome);
        Assert.Equal("applied, not effective: still listening on 0.0.0.0:64443", fix.ResultText);
    }

    [Fact]
    public void LatestPlan_ComesFromTheLatestVerdict()
    {
        var initial = ReferenceCaseTimeline.Legacy().TakeWhile(r => r.Kind != TimelineEventKind.Note).ToList();
        var (plan, at, codes) = IncidentStory.Build(ReferenceCaseTimeline.Incident, initial, SshUnreachableRunbook.Definition).LatestPlan("return-route-missing.default-route") ?? throw new InvalidOperationException("no plan");

        Assert.Equal(["system-view", "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "return"], plan.Commands);
        Assert.Equal(["listener-stuck", "return-route-missing"], codes);
        Assert.Equal(ReferenceCaseTimeline.T0.AddSeconds(8), at);

        // After the healthy re-diagnosis nothing is offered any more: an old button cannot request the reboot.
        Assert.Null(Story(legacy: true).LatestPlan("listener-stuck.reboot"));
    }
}
