using System.Text;

namespace NetOpsBot.Cards.Tests;

/// <summary>Every card the renderer emits, checked by the official Adaptive Cards JS library in one node run.</summary>
public sealed class AdaptiveCardValidationTests
{
    // A card the library must refuse: proves the harness can fail (misspelled property, unknown element).
    private const string BrokenCard = """
        {"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"x","fontTyp":"Monospace"},{"type":"Banner","text":"y"}]}
        """;

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<string>>> Results = new(() =>
    {
        var cards = CardFixtures.All().ToDictionary(c => c.Name, c => AdaptiveCardRenderer.RenderJson(c.View), StringComparer.Ordinal);
        cards["broken-on-purpose"] = BrokenCard;
        return AdaptiveCardHarness.Validate(cards);
    });

    public static TheoryData<string> CardNames => new(CardFixtures.All().Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CardNames))]
    public void Render_ProductCard_PassesOfficialLibrary(string name)
    {
        var issues = Results.Value[name];
        Assert.True(issues.Count == 0, $"{name}: {string.Join("; ", issues)}");
    }

    [Fact]
    public void Validate_BrokenCard_IsReported()
    {
        var issues = Results.Value["broken-on-purpose"];
        Assert.Contains(issues, i => i.Contains("fontTyp", StringComparison.Ordinal));
        Assert.Contains(issues, i => i.Contains("Banner", StringComparison.Ordinal) || i.Contains("UnknownElementType", StringComparison.Ordinal));
    }

    [Fact]
    public void RenderJson_EveryProductCard_HasSchemaAndVersion15()
    {
        foreach (var (name, view) in CardFixtures.All())
        {
            var json = AdaptiveCardRenderer.Render(view);
            Assert.Equal("http://adaptivecards.io/schemas/adaptive-card.json", (string?)json["$schema"]);
            Assert.True((string?)json["version"] == "1.5", name);
            Assert.DoesNotContain("\"url\":\"http://", AdaptiveCardRenderer.RenderJson(view), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RenderJson_AllCards_PrintsSizes()
    {
        // Not an assertion on exact figures: the sizes are reported in the test log for the issue notes.
        var sizes = CardFixtures.All().Select(c => $"{c.Name}={Encoding.UTF8.GetByteCount(AdaptiveCardRenderer.RenderJson(c.View))}B/{Encoding.UTF8.GetByteCount(BlockKitRenderer.RenderJson(c.View))}B");
        var line = string.Join(" ", sizes);
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "netopsbot-card-sizes.txt"), line);
        Assert.NotEmpty(line);
    }
}
