using System.Text.RegularExpressions;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Core.Tests.Incidents;

/// <summary>Issue 14, "Postmortem": the reference case's shape, written from the story (legacy rows included).</summary>
public sealed partial class PostmortemWriterTests
{
    public static TheoryData<bool> LegacyOrTyped() => new() { true, false };

    [Theory]
    [MemberData(nameof(LegacyOrTyped))]
    public void ReferenceCase_RootCausesAreTheOnesFixed_NotTheHealthyReDiagnosis(bool legacy)
    {
        var md = PostmortemWriter.Write(ReferenceCaseTimeline.Incident, legacy ? ReferenceCaseTimeline.Legacy() : ReferenceCaseTimeline.Typed(), SshUnreachableRunbook.Definition);

        Assert.Equal(["listener-stuck", "return-route-missing"], RootCauseHeading().Matches(md).Select(m => m.Groups[1].Value));
        Assert.Contains("Fixed by reboot (REQ-3).", md, StringComparison.Ordinal);
        Assert.Contains("Fixed by default route (REQ-1).", md, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferenceCase_HasTheShape_StepsPerRun_FixesWithPeople_Timings_Takeaways_FixCommands()
    {
        var md = PostmortemWriter.Write(ReferenceCaseTimeline.Incident, ReferenceCaseTimeline.Typed(), SshUnreachableRunbook.Definition);

        var order = new[]
        {
            "**Resolved in 4 min 51 s: listener stuck on 64443 and no return route; fixed by default route (bob) and reboot (bob, carol)**",
            "## 1. Problem Description", "- **TCP listeners** (Fail): Nothing listens on port 22; listener on unexpected port 64443",
            "## 2. Diagnostic Steps & Findings", "### Run 1: Initial diagnosis", "#### Step 1:", "### Run 2: After default route (REQ-1)",
            "### Run 3: After re-applied SSH port (REQ-2)", "### Run 4: Re-check before reboot (REQ-3)", "### Run 5: After reboot (REQ-3)",
            "## 3. Root Cause(s)", "## 4. Resolution",
            "### Fix 1: Add a default route via 10.12.0.1 (REQ-1): applied and verified",
            "### Fix 2: Re-apply ssh server port 22 (REQ-2): applied, not effective",
            "### Fix 3: Save and reboot to flush the stuck listener (REQ-3): applied and verified",
            "- **Approved by** bob at 01:02:20, carol at 01:02:30 UTC",
            "### Recovery evidence", "0.0.0.0:22 Listening; SSH login works",
            "## 5. Timings", "- Time to diagnose (request → first verdict): 8 s", "- Time to resolve (request → closed): 4 min 51 s",
            "## 6. Key Takeaways", "Trust `display tcp status`", "## 7. Commands Used", "- `display tcp status`", "### Fixes",
            "- `ip route-static 0.0.0.0 0.0.0.0 10.12.0.1` (REQ-1, default route: applied and verified)",
            "- `ssh server port 22` (REQ-2, re-applied SSH port: applied, not effective)",
            "- `reboot` (REQ-3, reboot: applied and verified)",
            "## Timeline",
        };
        var at = 0;
        foreach (var part in order)
        {
            var next = md.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"missing (in order) '{part}':\n{md}");
            at = next + part.Length;
        }

        // Later runs are one line per step, not the 32-step paste of every run.
        Assert.Single(Regex.Matches(md, "#### Step 1:"));
    }

    [Fact]
    public void HealthyOnly_NoFaultFound_SaysWhatToCheckNext()
    {
        var rows = ReferenceCaseTimeline.Typed();
        var healthyRun = rows.SkipWhile(r => IncidentEvents.Read(r) is not RediagnosisStartedEvent { RequestId: "REQ-3", Reason: RediagnosisStartedEvent.AfterFix })
            .Skip(1).TakeWhile(r => r.Kind != TimelineEventKind.Note).ToList();
        var start = ReferenceCaseTimeline.T0;
        var timeline = new List<TimelineEvent> { rows[0] };
        timeline.AddRange(healthyRun.Select((r, i) => r with { Sequence = i + 2, At = start.AddSeconds(i + 1) }));
        timeline.Add(new TimelineEvent(rows[0].IncidentId, timeline.Count + 1, start.AddSeconds(38), TimelineEventKind.Note, "netopsbot", "No fault found",
            IncidentEvents.Serialize(new ResolutionEvent(ResolutionEvent.NoFaultFound, []) { NextChecks = SshUnreachableRunbook.Definition.NoFaultNextChecks })));

        var story = IncidentStory.Build(ReferenceCaseTimeline.Incident, timeline, SshUnreachableRunbook.Definition);
        var md = PostmortemWriter.Write(story);

        Assert.True(story.NoFaultFound);
        Assert.Empty(story.RootCauses);
        Assert.StartsWith("No fault found in 38 s: the switch is healthy; check the user's SSH client", story.Headline(), StringComparison.Ordinal);
        Assert.Contains("No fault found on the switch", md, StringComparison.Ordinal);
        Assert.Contains("the path before the jump host", md, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"### Root Cause: .* \(`([a-z-]+)`\)")]
    private static partial Regex RootCauseHeading();
}
