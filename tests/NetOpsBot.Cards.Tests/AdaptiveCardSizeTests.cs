using System.Text;

namespace NetOpsBot.Cards.Tests;

public sealed class AdaptiveCardSizeTests
{
    // What Teams counts (Microsoft Learn, "Format your bot messages": the message "encoded as UTF-16", recommended
    // within 80 KB): a .NET string's Length is its UTF-16 code units, two bytes each.
    private static int Units(string json) => json.Length;

    private const int RecommendedUtf16Bytes = 80 * 1024;

    [Fact]
    public void RenderJson_EveryProductCard_StaysUnderDefaultBudget()
    {
        foreach (var (name, view) in CardFixtures.All())
        {
            var size = Units(AdaptiveCardRenderer.RenderJson(view));
            Assert.True(size <= AdaptiveCardOptions.Default.MaxUtf16CodeUnits, $"{name}: {size} UTF-16 code units");
        }
    }

    [Fact]
    public void RenderJson_OneMegabyteEvidence_TruncatesWithLinkToFullOutput()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Enormous());

        Assert.InRange(Units(json), 1, AdaptiveCardOptions.Default.MaxUtf16CodeUnits);
        Assert.InRange(Encoding.Unicode.GetByteCount(json), 1, RecommendedUtf16Bytes);
        Assert.Contains("truncated", json, StringComparison.Ordinal);
        Assert.Contains("https://netopsbot.example.test/incidents/INC-20261124-0007/steps/listener/output", json, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:1024", json, StringComparison.Ordinal); // the first lines survive
    }

    [Theory]
    [InlineData(28_000)]
    [InlineData(12_000)]
    public void RenderJson_SmallerBudget_IsHonoured(int maxUnits)
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Enormous(), new AdaptiveCardOptions { MaxUtf16CodeUnits = maxUnits });

        Assert.InRange(Units(json), 1, maxUnits);
        Assert.Contains("listener-stuck", json, StringComparison.Ordinal); // the verdict is never dropped for size
    }

    [Fact]
    public void RenderJson_OversizedView_StillFitsAndSaysWhatIsMissing()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Oversized());

        Assert.InRange(Units(json), 1, AdaptiveCardOptions.Default.MaxUtf16CodeUnits);
        Assert.InRange(Encoding.Unicode.GetByteCount(json), 1, RecommendedUtf16Bytes);
        Assert.Contains("not shown (card size limit)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJson_SeedFinal_IsNotTruncated()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.SeedFinal());

        Assert.DoesNotContain("truncated", json, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:64443", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJson_CjkEvidence_CountedOneUnitPerCharacterNotThreeBytes()
    {
        // 6,000 CJK characters: 18,000 UTF-8 bytes but 6,000 UTF-16 units. A 24,000-unit budget holds them whole
        // next to the rest of the card (about 16,000 units).
        var cjk = Enumerable.Range(0, 60).Select(i => "接口" + new string('端', 98)).ToArray();
        var steps = CardFixtures.SeedSteps.Select(s => s.StepId == "routing" ? s with { Evidence = cjk } : s).ToList();
        var view = DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", CardFixtures.SeedReport with { Steps = steps }, "n-verdict-1", CardFixtures.Links);

        var json = AdaptiveCardRenderer.RenderJson(view, new AdaptiveCardOptions { MaxUtf16CodeUnits = 24_000, MaxEvidenceChars = 7_000 });

        Assert.InRange(Units(json), 1, 24_000);
        Assert.True(Encoding.UTF8.GetByteCount(json) > 24_000, "the card is over the budget in UTF-8 bytes, which is not what Teams counts");
        Assert.Contains(cjk[^1], json, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJson_EmojiEvidence_SurrogatePairsCountTwice()
    {
        // An emoji is 4 UTF-8 bytes and 2 UTF-16 units: the budget in units must still hold.
        var emoji = Enumerable.Range(0, 2_000).Select(_ => string.Concat(Enumerable.Repeat("🔥", 50))).ToArray();
        var steps = CardFixtures.SeedSteps.Select(s => s.StepId == "routing" ? s with { Evidence = emoji } : s).ToList();
        var view = DiagnosisCardViewBuilder.FromReport(CardFixtures.SshRunbook, CardFixtures.Incident, "alice", CardFixtures.SeedReport with { Steps = steps }, "n-verdict-1", CardFixtures.Links);

        var json = AdaptiveCardRenderer.RenderJson(view, new AdaptiveCardOptions { MaxUtf16CodeUnits = 20_000 });

        Assert.InRange(Units(json), 1, 20_000);
        Assert.Contains("truncated", json, StringComparison.Ordinal);
    }
}
