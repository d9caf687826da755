using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Tests.Remediation;

/// <summary>The thread's line at the end of an execution: done, failed, or applied but not effective.</summary>
public sealed class ExecutionOutcomeTextTests
{
    [Fact]
    public void Line_AppliedButReadBackShowsNoEffect_AppliedNotEffectiveWithEvidenceAndNextStep_NotDone()
    {
        var result = new ExecutionResult(
            true,
            "sw-access-12: Re-apply ssh server port 22: applied, not effective: …",
            [],
            false,
            "display ssh server status: SSH server port 22; display tcp status: NOT listening on 22, listening ports: 64443",
            null)
        { NextStep = "the listener is stuck; a reboot re-binds it" };

        var line = ExecutionOutcomeText.Line(result);

        Assert.True(result.AppliedNotEffective);
        Assert.Equal("Applied, not effective: display ssh server status: SSH server port 22; display tcp status: NOT listening on 22, listening ports: 64443; next: the listener is stuck; a reboot re-binds it", line);
        Assert.DoesNotContain("Done", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_MultiLineEvidence_JoinedOnOneLine()
    {
        var result = new ExecutionResult(true, "s", [], false, "a: x\nb: y\n", null) { NextStep = "n" };

        Assert.Equal("Applied, not effective: a: x; b: y; next: n", ExecutionOutcomeText.Line(result));
    }

    [Theory]
    [InlineData(true, true, "Done: s")]
    [InlineData(false, false, "Failed: s")]
    public void Line_VerifiedOrFailed_DoneOrFailed(bool succeeded, bool verified, string expected)
    {
        Assert.Equal(expected, ExecutionOutcomeText.Line(new ExecutionResult(succeeded, "s", [], verified, "e", null)));
    }

    [Fact]
    public void Line_AppliedWithoutAnyReadBack_StillDone_NotClaimedIneffective()
    {
        // No read-back exists for some commands: nothing proves either way, so it is not called ineffective.
        var result = new ExecutionResult(true, "s: applied; no read-back exists for these commands", [], false, "no read-back for this plan", null);

        Assert.False(result.AppliedNotEffective);
        Assert.StartsWith("Done: ", ExecutionOutcomeText.Line(result), StringComparison.Ordinal);
    }
}
