using NetOpsBot.Core.Diagnosis;

namespace NetOpsBot.Cards.Tests;

public sealed class TimelineLineRendererTests
{
    private static readonly StepResult HostileStep = CardFixtures.SeedSteps[2] with { Finding = "<!channel> <http://evil|x> *bold* <at>Bot</at> [y](http://evil)\nsecond line" };

    [Fact]
    public void ForSlack_HostileFinding_Escaped()
    {
        var line = TimelineLineRenderer.ForSlack(new StepFinished(HostileStep, CardFixtures.T0));

        Assert.Equal("09:30:00 ❌ *Routing table* · fail · 0.4 s: &lt;!channel&gt; &lt;http://evil|x&gt; *bold* &lt;at&gt;Bot&lt;/at&gt; [y](http://evil)", line);
    }

    [Fact]
    public void ForTeams_HostileFinding_EscapedAndOneLine()
    {
        var line = TimelineLineRenderer.ForTeams(new StepFinished(HostileStep, CardFixtures.T0));

        Assert.Equal("09:30:00 ❌ **Routing table** · fail · 0.4 s: &lt;!channel&gt; &lt;http://evil\\|x&gt; \\*bold\\* &lt;at&gt;Bot&lt;/at&gt; \\[y\\](http://evil)", line);
    }

    [Fact]
    public void ForPlainText_Verdict_ListsCodes()
    {
        var line = TimelineLineRenderer.ForPlainText(new VerdictReached(CardFixtures.SeedReport, "n", CardFixtures.T0.AddSeconds(10)));

        Assert.Equal("09:30:10 🧭 verdict: return-route-missing, listener-stuck; 3 remediation(s) offered", line);
    }

    [Fact]
    public void ForSlack_ApprovalEvents_NameWhoAndWhat()
    {
        Assert.Equal("09:33:00 👍 bob approved *reboot*", TimelineLineRenderer.ForSlack(new ApprovalAdded("reboot", "bob", CardFixtures.T0.AddMinutes(3))));
        Assert.Equal("09:33:00 👎 carol rejected *reboot*: too risky &amp; late", TimelineLineRenderer.ForSlack(new ApprovalRejected("reboot", "carol", "too risky & late", CardFixtures.T0.AddMinutes(3))));
    }

    [Fact]
    public void ForTeams_HugeSummary_CappedAtMaxLine()
    {
        var line = TimelineLineRenderer.ForTeams(new ExecutionFinished("reboot", false, new string('x', 5000), CardFixtures.T0));

        Assert.Equal(TimelineLineRenderer.MaxLineChars, line.Length);
        Assert.EndsWith("…", line, StringComparison.Ordinal);
    }
}
