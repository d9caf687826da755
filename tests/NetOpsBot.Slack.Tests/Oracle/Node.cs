using System.Diagnostics;
using NetOpsBot.Testing;

namespace NetOpsBot.Slack.Tests.Oracle;

/// <summary>Runs the tests' Node helpers (js/, installed by `npm ci` in scripts/test.sh) with Slack's official SDKs.</summary>
internal static class Node
{
    public static string JsDir { get; } = Path.Combine(RepoPaths.Root, "tests", "NetOpsBot.Slack.Tests", "js");

    public static void EnsureInstalled()
    {
        if (!Directory.Exists(Path.Combine(JsDir, "node_modules", "@slack", "bolt")))
        {
            throw new InvalidOperationException($"Slack's SDKs are not installed: run `npm ci --prefix {JsDir}` (scripts/test.sh does).");
        }
    }

    /// <summary>Starts a helper; the caller owns (and must dispose/kill) the process.</summary>
    public static Process Start(string script, params string[] args)
    {
        EnsureInstalled();
        var psi = new ProcessStartInfo("node", [script, .. args])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = JsDir,
        };
        return Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
    }

    /// <summary>Runs a helper to completion with <paramref name="stdin"/>; returns stdout, throws with stderr on failure.</summary>
    public static async Task<string> RunAsync(string script, string stdin, params string[] args)
    {
        using var p = Start(script, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish: {await stderr}");
        }

        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} exited {p.ExitCode}: {await stderr}\n{await stdout}");
        }

        return await stdout;
    }
}
