using NetOpsBot.Core.Incidents;
using NetOpsBot.Slack.Surface;
using Xunit;

namespace NetOpsBot.Slack.Tests;

/// <summary>Thread lines read the typed event: how the incident ended and a fix that did not take are marked as such.</summary>
public sealed class SlackThreadLineTests
{
    private static TimelineEvent Row(IncidentEvent e, string summary) =>
        new(IncidentId.New(), 7, new DateTimeOffset(2026, 12, 6, 1, 4, 51, TimeSpan.Zero), e.StoredAs, "netopsbot", summary, IncidentEvents.Serialize(e));

    [Fact]
    public void Resolution_IsMarkedResolved()
    {
        var line = SlackThreadLine.Render(Row(new ResolutionEvent(ResolutionEvent.Resolved, []) { Headline = "Resolved in 4 min 51 s" }, "sw-access-12 is healthy again: incident resolved. Resolved in 4 min 51 s"));

        Assert.Equal(":white_check_mark: `01:04:51` sw-access-12 is healthy again: incident resolved. Resolved in 4 min 51 s", line);
    }

    [Fact]
    public void FixThatDidNotTake_IsAWarning_NotAFinishFlag()
    {
        var finished = new ExecutionFinishedEvent("listener-stuck.ssh-server-port", "REQ-2", true, false, "still listening on 0.0.0.0:64443", [new ExecutedCommandRecord("ssh server port 22", "", null, 10)]);

        Assert.StartsWith(":warning:", SlackThreadLine.Render(Row(finished, "Done: applied, not effective")), StringComparison.Ordinal);
        Assert.StartsWith(":checkered_flag:", SlackThreadLine.Render(Row(finished with { Verified = true }, "Done: applied and verified")), StringComparison.Ordinal);
    }
}
