using NetOpsBot.Core.Chat;
using NetOpsBot.Core.Incidents;
using NetOpsBot.Teams.Surface;

namespace NetOpsBot.Teams.Tests;

/// <summary>A thread line carries device output and names (untrusted): Teams must show it as text, on one line, cut.</summary>
public sealed class ThreadLineTextTests
{
    private static TimelineEvent Event(string summary) =>
        new(IncidentId.New(), 7, new DateTimeOffset(2026, 12, 6, 9, 30, 0, TimeSpan.Zero), TimelineEventKind.StepFinished, "bot", summary, null);

    [Fact]
    public void HostileFinding_EscapedAndOneLine()
    {
        var line = TeamsChatSurface.ThreadLine(Event("Routing table: <at>Bot</at> *bold* [y](http://evil) <b>x</b>\nsecond line"));

        Assert.Equal("09:30:00 Routing table: &lt;at&gt;Bot&lt;/at&gt; \\*bold\\* \\[y\\](http://evil) &lt;b&gt;x&lt;/b&gt; second line", line);
    }

    [Fact]
    public void LongLine_CutToTheThreadLimit()
    {
        var line = TeamsChatSurface.ThreadLine(Event(new string('x', 5000)));

        Assert.Equal("09:30:00 ".Length + ThreadLines.MaxLineChars, line.Length);
    }
}
