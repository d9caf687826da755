using System.Diagnostics;
using System.Text.Json.Nodes;
using NetOpsBot.Testing;

namespace NetOpsBot.Teams.Tests.Infrastructure;

/// <summary>Runs a program from this test project's <c>js/</c> folder (official Microsoft libraries installed by <c>npm ci</c>).</summary>
internal static class JsScript
{
    public static readonly string JsDir = Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Teams.Tests", "js");

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/> in js/; fails the test on a hang or a non-zero exit.</summary>
    public static string Run(string file, params string[] args)
    {
        var (exitCode, stdout, stderr) = Start(file, args);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', args)} exited {exitCode}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>Runs a Node script that prints its result as JSON on its last line (with <c>setupError</c> when it could not start).</summary>
    public static JsonObject RunNodeJson(string script, params string[] args)
    {
        var (_, stdout, stderr) = Start("node", [Path.Combine(JsDir, script), .. args]);
        var result = JsonNode.Parse(stdout.Trim().Split('\n')[^1])!.AsObject();
        Assert.True(result["setupError"] is null, $"{result["setupError"]}\n{stderr}");
        return result;
    }

    private static (int ExitCode, string Stdout, string Stderr) Start(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = JsDir };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} did not finish in 60 s");
        }

        return (p.ExitCode, stdout, stderr.Result);
    }
}
