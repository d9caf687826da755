using System.Diagnostics;
using System.Text.Json.Nodes;
using NetOpsBot.Cards;
using NetOpsBot.Teams.Surface;
using NetOpsBot.Teams.Tests.Infrastructure;

namespace NetOpsBot.Teams.Tests;

/// <summary>
/// Known defect (Agents Playground screenshot of the reference case): multi-line evidence in the monospace blocks
/// rendered as one run-on paragraph in Teams ("tcp 22: refused … tcp 64443: open … cli via ssh:64443: ok"). The
/// Teams card is rendered to HTML by the official Adaptive Cards library with markdown as Teams treats it (CommonMark:
/// a single line break is a soft break); each evidence line must be a line a person sees.
/// </summary>
public sealed class TeamsMultiLineEvidenceTests
{
    private static readonly string[] Evidence =
    [
        "tcp 22: refused",
        "tcp 64443: open (SSH-2.0-OpenSSH_9.2p1)",
        "tcp 23: refused",
        "cli via ssh:64443: ok",
        "    0.0.0.0:64443        0.0.0.0:0     Listening",
    ];

    private static DiagnosisCardView View()
    {
        var view = DiagnosisCardViewBuilder.Start("INC-20261206-0002", "sw-access-12", "alice", DateTimeOffset.UnixEpoch, [new NetOpsBot.Core.Diagnosis.StepDescriptor("access", "Access")]);
        return view with { Steps = [.. view.Steps.Select(s => s with { Status = CardStepStatus.Fail, Finding = "Port 22 refused; SSH answers on 64443", Evidence = Evidence })] };
    }

    [Fact]
    public void TeamsCard_MultiLineEvidence_EachLineItsOwnVisibleLine_InTheOfficialRenderer()
    {
        var card = TeamsCardRenderer.Render(View(), approverView: false, []);

        var lines = RenderLines(card);

        foreach (var line in Evidence)
        {
            Assert.Contains(string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)), lines);
        }

        Assert.DoesNotContain(lines, l => l.Contains("tcp 22: refused", StringComparison.Ordinal) && l.Contains("tcp 64443", StringComparison.Ordinal));
        Assert.Empty(CardValidator.Validate([card]).Single());
    }

    [Fact]
    public void TeamsCard_IndentedLine_KeepsItsIndentWithoutBecomingACodeBlock()
    {
        var card = TeamsCardRenderer.Render(View(), approverView: false, []);

        Assert.Contains(Texts(card), t => t.StartsWith("\u00A0\u00A0\u00A0\u00A00.0.0.0:64443", StringComparison.Ordinal));
        Assert.DoesNotContain("<pre>", RenderHtml(card), StringComparison.Ordinal);
    }

    // Without the zero-width spaces the card puts after markdown characters ("OpenSSH_\u200B9.2p1") so they stay literal.
    private static List<string> RenderLines(JsonObject card) => [.. Render(card)["lines"]!.AsArray().Select(l => ((string)l!).Replace("\u200B", string.Empty, StringComparison.Ordinal))];

    private static IEnumerable<string> Texts(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "text" && p.Value is JsonValue v && v.TryGetValue<string>(out var t) ? [t] : Texts(p.Value)),
        JsonArray a => a.SelectMany(Texts),
        _ => [],
    };

    private static string RenderHtml(JsonObject card) => (string)Render(card)["html"]!;

    private static JsonObject Render(JsonObject card)
    {
        var dir = Directory.CreateTempSubdirectory("netopsbot-teams-lines-");
        try
        {
            var file = Path.Combine(dir.FullName, "card.json");
            File.WriteAllText(file, card.ToJsonString());
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = CardValidator.JsDir };
            psi.ArgumentList.Add(Path.Combine(CardValidator.JsDir, "render-lines.js"));
            psi.ArgumentList.Add(file);
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "render-lines.js did not finish");
            var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
            Assert.True(result["setupError"] is null, $"{result["setupError"]} {stderr.Result}");
            return result["cards"]!.AsArray().Single()!.AsObject();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
