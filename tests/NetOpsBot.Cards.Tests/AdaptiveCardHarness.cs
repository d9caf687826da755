using System.Diagnostics;
using System.Text.Json.Nodes;
using NetOpsBot.Testing;

namespace NetOpsBot.Cards.Tests;

/// <summary>
/// Runs js/validate.js (official `adaptivecards` library under jsdom) once for a batch of cards: one node
/// start for all of them keeps the suite fast.
/// </summary>
internal static class AdaptiveCardHarness
{
    public static string JsDir => Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Cards.Tests", "js");

    /// <summary>Card name → issues reported by the library (empty when valid).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Validate(IReadOnlyDictionary<string, string> cards)
    {
        var modules = Path.Combine(JsDir, "node_modules", "adaptivecards");
        Assert.True(Directory.Exists(modules),
            $"The Adaptive Cards validation harness is not installed: run `npm ci --prefix tests/NetOpsBot.Cards.Tests/js` (or `npm ci` in {JsDir}).");

        var dir = Directory.CreateTempSubdirectory("netopsbot-cards-");
        try
        {
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, json) in cards)
            {
                var file = Path.Combine(dir.FullName, name + ".json");
                File.WriteAllText(file, json);
                files[Path.GetFullPath(file)] = name;
            }

            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = JsDir };
            psi.ArgumentList.Add(Path.Combine(JsDir, "validate.js"));
            foreach (var f in files.Keys)
            {
                psi.ArgumentList.Add(f);
            }

            using var p = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            Assert.True(p.WaitForExit(120_000), "validate.js did not finish in 120 s");
            var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1]) as JsonObject
                ?? throw new InvalidOperationException($"validate.js printed no result (exit {p.ExitCode}): {stdout} {stderr.Result}");
            Assert.True(result["setupError"] is null, $"{result["setupError"]}");

            var issues = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var c in result["cards"]!.AsArray())
            {
                var name = files[Path.GetFullPath((string)c!["file"]!)];
                issues[name] = c["issues"]!.AsArray().Select(i => (string)i!).ToList();
            }

            // Exit code and per-card results must agree, or the harness itself is broken.
            Assert.Equal(issues.Values.All(i => i.Count == 0) ? 0 : 1, p.ExitCode);
            return issues;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
