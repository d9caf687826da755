using System.Text;

namespace NetOpsBot.Cards.Tests;

public sealed class AdaptiveCardSizeTests
{
    private static int Bytes(string json) => Encoding.UTF8.GetByteCount(json);

    [Fact]
    public void RenderJson_EveryProductCard_StaysUnderDefaultBudget()
    {
        foreach (var (name, view) in CardFixtures.All())
        {
            var size = Bytes(AdaptiveCardRenderer.RenderJson(view));
            Assert.True(size <= AdaptiveCardOptions.Default.MaxBytes, $"{name}: {size} bytes");
        }
    }

    [Fact]
    public void RenderJson_OneMegabyteEvidence_TruncatesWithLinkToFullOutput()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Enormous());

        Assert.InRange(Bytes(json), 1, 80_000);
        Assert.Contains("truncated", json, StringComparison.Ordinal);
        Assert.Contains("https://netopsbot.example.test/incidents/INC-20261124-0007/steps/listener/output", json, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:1024", json, StringComparison.Ordinal); // the first lines survive
    }

    [Theory]
    [InlineData(28_000)]
    [InlineData(12_000)]
    public void RenderJson_SmallerBudget_IsHonoured(int maxBytes)
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Enormous(), new AdaptiveCardOptions { MaxBytes = maxBytes });

        Assert.InRange(Bytes(json), 1, maxBytes);
        Assert.Contains("listener-stuck", json, StringComparison.Ordinal); // the verdict is never dropped for size
    }

    [Fact]
    public void RenderJson_OversizedView_StillFitsAndSaysWhatIsMissing()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.Oversized());

        Assert.InRange(Bytes(json), 1, 80_000);
        Assert.Contains("not shown (card size limit)", json, StringComparison.Ordinal);
    }

    [Fact]
    public void RenderJson_SeedFinal_IsNotTruncated()
    {
        var json = AdaptiveCardRenderer.RenderJson(CardFixtures.SeedFinal());

        Assert.DoesNotContain("truncated", json, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0:64443", json, StringComparison.Ordinal);
    }
}
