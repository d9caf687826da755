using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetOpsBot.Lab;
using NetOpsBot.Testing;

namespace NetOpsBot.Cli.Tests;

/// <summary>
/// `scripts/demo.sh` on a machine where someone else's lab already runs: it must say so and leave that lab alone
/// (it used to run `lab down` on the default run directory without asking).
/// </summary>
public sealed class DemoScriptTests(HealthyLab lab) : IClassFixture<HealthyLab>
{
    [Fact]
    public async Task Demo_LabItDidNotStartIsRunning_RefusesAndLeavesItRunning()
    {
        var run = await RunDemoAsync("--run-dir", lab.RunDirectory, "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"a lab is already running in {lab.RunDirectory}, and this demo did not start it", run.StdErr, StringComparison.Ordinal);
        Assert.Contains("--run-dir", run.StdErr, StringComparison.Ordinal);
        Assert.True(LabStatus.Read(lab.RunDirectory) is { Running: true }, "the other lab must still be running");
        Assert.DoesNotContain("== starting the lab", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_PortInUse_SaysSoBeforeDoingAnything()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = await RunDemoAsync("--run-dir", Path.Combine(Path.GetTempPath(), "netopsbot-demo-unused"), "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"port {port} is in use", run.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("== building", run.StdOut, StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task<(int ExitCode, string StdOut, string StdErr)> RunDemoAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root };
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "scripts", "demo.sh"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("ASPNETCORE_URLS");
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("scripts/demo.sh did not finish within 5 minutes: " + await stdout);
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
