using System.Diagnostics;
using System.Text.Json;

namespace NetOpsBot.Cli.Tests;

/// <summary>One finished run of the real program: <c>dotnet netopsbot.dll ...</c>, its exit code, output and wall time.</summary>
public sealed class DiagRun
{
    /// <summary>Far above any scenario's run (device-down is the slowest, ~5 s), far below the runbook's own 2 min limit.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private DiagRun(int exitCode, string stdOut, string stdErr, TimeSpan elapsed)
    {
        ExitCode = exitCode;
        StdOut = stdOut;
        StdErr = stdErr;
        Elapsed = elapsed;
    }

    public int ExitCode { get; }

    public string StdOut { get; }

    public string StdErr { get; }

    public TimeSpan Elapsed { get; }

    public static async Task<DiagRun> StartAsync(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netopsbot.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        // The program's defaults must not leak in from the machine running the tests.
        psi.Environment.Remove("NETOPSBOT_LAB_DIR");
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"netopsbot {string.Join(' ', args)} did not finish within {Limit.TotalSeconds} s");
        }

        return new DiagRun(process.ExitCode, await stdout, await stderr, watch.Elapsed);
    }

    /// <summary>The --json report; fails the test with the program's stderr when it is not JSON.</summary>
    public JsonElement Report()
    {
        Assert.True(ExitCode == 0, $"exit {ExitCode}; stderr: {StdErr}");
        using var doc = JsonDocument.Parse(StdOut);
        return doc.RootElement.Clone();
    }

    public static IReadOnlyList<string> RootCauses(JsonElement report) =>
        report.GetProperty("rootCauses").EnumerateArray().Select(r => r.GetProperty("code").GetString()!).Order(StringComparer.Ordinal).ToList();

    public static JsonElement Step(JsonElement report, string id) =>
        report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    public static IReadOnlyList<string> Evidence(JsonElement step) =>
        step.GetProperty("evidence").EnumerateArray().Select(e => e.GetString()!).ToList();
}
