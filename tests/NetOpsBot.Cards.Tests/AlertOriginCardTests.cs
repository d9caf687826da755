using NetOpsBot.Core.Incidents;
using System.Text.Json.Nodes;

namespace NetOpsBot.Cards.Tests;

/// <summary>A card opened by a monitoring alert says so, with the alert's labels and a link back to its source.</summary>
public sealed class AlertOriginCardTests
{
    private static AlertOrigin Alert(string? url = "http://prometheus.example:9090/graph?g0.expr=probe_success%3D%3D0") =>
        new("alertmanager", "Alertmanager", "SSHDown", new SortedDictionary<string, string>(StringComparer.Ordinal) { ["alertname"] = "SSHDown", ["instance"] = "127.0.200.12:22", ["module"] = "ssh_banner" })
        {
            Identity = "a1b2",
            Url = url,
        };

    private static readonly System.Text.Json.JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static DiagnosisCardView Card() => CardFixtures.SeedFinal() with { Requester = "alert SSHDown from Alertmanager", Origin = CardOrigin.From(Alert()) };

    [Fact]
    public void AdaptiveCard_SaysOpenedByTheAlert_WithLabelsAndLink_AndPassesTheOfficialLibrary()
    {
        var json = AdaptiveCardRenderer.Render(Card()).ToJsonString(Plain);
        Assert.Contains("Opened by alert SSHDown from Alertmanager · instance=127.0.200.12:22, module=", json, StringComparison.Ordinal);
        Assert.Contains("\"url\":\"http://prometheus.example:9090/graph?g0.expr=probe_success%3D%3D0\"", json, StringComparison.Ordinal);
        Assert.Contains("· opened by ", json, StringComparison.Ordinal);
        var issues = AdaptiveCardHarness.Validate(new Dictionary<string, string> { ["alert-opened"] = json });
        Assert.Empty(issues["alert-opened"]);
    }

    [Fact]
    public void BlockKit_SaysOpenedByTheAlert_WithALinkSlackCannotMisread()
    {
        var json = BlockKitRenderer.Render(Card()).ToJsonString(Plain);
        Assert.Contains("Opened by alert SSHDown from Alertmanager", json, StringComparison.Ordinal);
        Assert.Contains("<http://prometheus.example:9090/graph?g0.expr=probe_success%3D%3D0|alert source>", json, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, "javascript:alert(1)")]
    [InlineData(true, "file:///etc/passwd")]
    [InlineData(true, null)]
    public void NoAlert_OrAScriptLink_NothingOrNoLink(bool alert, string? url)
    {
        var origin = alert ? CardOrigin.From(Alert(url)) : null;
        Assert.Null(origin?.Link);
        var json = AdaptiveCardRenderer.Render(CardFixtures.SeedFinal() with { Origin = origin }).ToJsonString(Plain);
        Assert.DoesNotContain("javascript:", json, StringComparison.Ordinal);
        Assert.Equal(origin is null, json.Contains("· requested by alice ·", StringComparison.Ordinal));
        Assert.NotNull(JsonNode.Parse(json));
    }
}
