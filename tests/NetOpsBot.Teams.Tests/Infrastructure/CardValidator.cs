using System.Diagnostics;
using System.Text.Json.Nodes;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>
/// The official Adaptive Cards JS library's verdict on cards, through the validator the card tests already use
/// (tests/NetOpsBot.Cards.Tests/js/validate.js: parse, validate, round trip, render under jsdom).
/// </summary>
internal static class CardValidator
{
    public static string JsDir => Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Cards.Tests", "js");

    /// <summary>Issues per card (empty list = valid).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Validate(IReadOnlyList<JsonObject> cards)
    {
        Assert.True(Directory.Exists(Path.Combine(JsDir, "node_modules", "adaptivecards")), "run `npm ci --prefix tests/NetOpsBot.Cards.Tests/js`");
        var dir = Directory.CreateTempSubdirectory("netopsbot-teams-cards-");
        try
        {
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = JsDir };
            psi.ArgumentList.Add(Path.Combine(JsDir, "validate.js"));
            for (var i = 0; i < cards.Count; i++)
            {
                var file = Path.Combine(dir.FullName, $"card{i}.json");
                File.WriteAllText(file, cards[i].ToJsonString());
                psi.ArgumentList.Add(file);
            }

            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), "validate.js did not finish");
            var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
            Assert.True(result["setupError"] is null, $"{result["setupError"]} {stderr.Result}");
            return [.. result["cards"]!.AsArray().Select(c => (IReadOnlyList<string>)[.. c!["issues"]!.AsArray().Select(x => (string)x!)])];
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
