using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NetOpsBot.Lab;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// Time to verdict per lab scenario, as a person feels it: `/sshdiag sw-access-12` posted to the web chat → the
/// incident leaves Running (its verdict is on the card), with the host's own settings (the 3 s debug window).
/// Beside it, in the same run on the same lab, the OpenSSH floor: the same display commands the diagnosis sent,
/// typed by `ssh -tt` through the same jump host (ProxyJump, i.e. `ssh -J`), the device session and the gateway
/// session at once, as the bot runs them. The floor has no probes, no timeouts and no verdict: the ratio says how
/// much the diagnosis costs beyond the commands themselves.
/// </summary>
internal static partial class ChatBenchmark
{
    private const string Gateway = "sw-agg-01";

    public static async Task<bool> RunVerdictsAsync(string repoRoot, int runs)
    {
        var settings = new Dictionary<string, string> { ["NetOps__Diagnosis__DebugWindowSeconds"] = "3" };
        // Every built-in scenario whose device under test is sw-access-12 (not the IOS-XE site).
        var scenarios = Directory.GetFiles(Path.Combine(repoRoot, "src", "NetOpsBot.Lab", "Scenarios"), "*.yml")
            .Select(f => Path.GetFileNameWithoutExtension(f)!)
            .Where(n => n is not "mixed-site")
            .Order(StringComparer.Ordinal)
            .ToList();
        if (Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_SCENARIOS") is { Length: > 0 } only)
        {
            scenarios = [.. scenarios.Where(s => only.Split(',').Contains(s, StringComparer.Ordinal))];
        }

        var cli = Path.Combine(repoRoot, "src", "NetOpsBot.Cli", "bin", "Release", "net10.0", "netopsbot.dll");
        Console.WriteLine($"verdicts: /sshdiag sw-access-12 -> verdict on the card (incident leaves Running), median of {runs} per scenario, one lab and host each, host defaults (debug window 3 s)");
        Console.WriteLine("  floor: OpenSSH, `ssh -F <lab>/ssh_config -tt` (ProxyJump through the same jump host = ssh -J), the diagnosis' own device and gateway commands, both sessions at once, then quit");
        Console.WriteLine(Fmt($"  {"scenario",-20} {"verdict",8} {"floor",8} {"ratio",7}  root causes; device path of the floor"));
        var ok = true;
        foreach (var scenario in scenarios)
        {
            await WithLabAndHostAsync(
                repoRoot,
                LabWeight.Unchanged,
                async host =>
                {
                    var status = LabStatus.Read(host.RunDirectory) ?? throw new InvalidOperationException("no lab status in " + host.RunDirectory);
                    // Warm-up, not measured: a whole diagnosis of a healthy switch (JIT, the jump connection).
                    await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-13").ConfigureAwait(false)], Stopwatch.StartNew()).ConfigureAwait(false);
                    // The commands and the CLI path the runbook uses in this scenario, from the CLI's report (not timed).
                    var jobs = await FloorJobsAsync(cli, status).ConfigureAwait(false);
                    var verdicts = new List<double>();
                    var floors = new List<double>();
                    var causes = 0;
                    string? floorProblem = null;
                    for (var i = 0; i < runs; i++)
                    {
                        var sw = Stopwatch.StartNew();
                        var (seconds, rootCauses) = (await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-12").ConfigureAwait(false)], sw).ConfigureAwait(false))[0];
                        verdicts.Add(seconds);
                        causes = rootCauses;
                        if (floorProblem is null)
                        {
                            // A device session of a run still closing (its quit) would queue the floor's login on the one VTY the lab gives a user.
                            await Task.Delay(500).ConfigureAwait(false);
                            var (floor, problem) = await OpenSshFloorAsync(status, jobs.Jobs).ConfigureAwait(false);
                            floorProblem = problem;
                            if (problem is null)
                            {
                                floors.Add(floor);
                            }
                        }
                    }

                    var v = Median(verdicts);
                    if (floors.Count > 0)
                    {
                        var f = Median(floors);
                        Console.WriteLine(Fmt($"  {scenario,-20} {v,7:0.00}s {f,7:0.00}s {v / f,6:0.0}x  {causes} root cause(s); {jobs.Describe}"));
                    }
                    else
                    {
                        Console.WriteLine(Fmt($"  {scenario,-20} {v,7:0.00}s {"n/a",8} {"",7}  {causes} root cause(s); floor not measured: {floorProblem}"));
                    }

                    ok &= scenario == "healthy" || causes > 0;
                    return new Outcome(true, double.NaN, double.NaN);
                },
                scenario,
                extraSwitches: 0,
                settings).ConfigureAwait(false);
        }

        return ok;
    }

    private sealed record FloorJob(string Target, int Port, IReadOnlyList<string> Commands, string Password);

    private sealed record FloorPlan(IReadOnlyList<FloorJob> Jobs, string Describe);

    /// <summary>The runbook's sessions in this scenario (device by its CLI path, gateway), from one `netopsbot diag --json`.</summary>
    private static async Task<FloorPlan> FloorJobsAsync(string cli, LabStatus status)
    {
        var psi = new ProcessStartInfo("/usr/bin/dotnet", [cli, "diag", "sw-access-12", "--json", "--lab-dir", status.RunDirectory]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        _ = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().ConfigureAwait(false);
        using var report = JsonDocument.Parse(await stdout.ConfigureAwait(false));
        var steps = report.RootElement.GetProperty("steps").EnumerateArray().ToList();
        static List<string> Commands(IEnumerable<JsonElement> s) => [.. s.SelectMany(x => x.GetProperty("commands").EnumerateArray().Select(c => c.GetString()!))];
        var device = status.Devices.Single(d => d.Name == "sw-access-12");
        var gateway = status.Devices.Single(d => d.Name == Gateway);
        var jobs = new List<FloorJob>();
        var gatewayCommands = Commands(steps.Where(s => s.GetProperty("id").GetString() == "gateway"));
        if (gatewayCommands.Count > 0)
        {
            jobs.Add(new FloorJob(Gateway, 22, gatewayCommands, gateway.Password));
        }

        var deviceCommands = Commands(steps.Where(s => s.GetProperty("id").GetString() is not "gateway"));
        var finding = steps.Single(s => s.GetProperty("id").GetString() == "access").GetProperty("finding").GetString() ?? string.Empty;
        string path;
        if (deviceCommands.Count == 0)
        {
            path = "no device session (gateway only)";
        }
        else if (finding.Contains("CLI via ssh:", StringComparison.Ordinal))
        {
            var port = int.Parse(finding[(finding.IndexOf("CLI via ssh:", StringComparison.Ordinal) + "CLI via ssh:".Length)..].TakeWhile(char.IsAsciiDigit).ToArray(), CultureInfo.InvariantCulture);
            jobs.Add(new FloorJob("sw-access-12", port, deviceCommands, device.Password));
            path = $"device via ssh:{port.ToString(CultureInfo.InvariantCulture)}";
        }
        else
        {
            jobs.Add(new FloorJob("lab-console", device.ConsolePort, deviceCommands, status.ConsoleServer.Password));
            path = $"device via its console line (lab-console:{device.ConsolePort.ToString(CultureInfo.InvariantCulture)})";
        }

        return new FloorPlan(jobs, $"{path}, {deviceCommands.Count} device + {gatewayCommands.Count} gateway commands");
    }

    /// <summary>All jobs at once; the wall time until the last `ssh` has quit, or why the floor could not be measured.</summary>
    private static async Task<(double Seconds, string? Problem)> OpenSshFloorAsync(LabStatus status, IReadOnlyList<FloorJob> jobs)
    {
        var askPass = Path.Combine(status.RunDirectory, "bench-askpass.sh");
        if (!File.Exists(askPass))
        {
            await File.WriteAllTextAsync(askPass, "#!/bin/sh\nprintf '%s\\n' \"$LAB_DEVICE_PASSWORD\"\n").ConfigureAwait(false);
            File.SetUnixFileMode(askPass, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        }

        var sw = Stopwatch.StartNew();
        var results = await Task.WhenAll(jobs.Select(j => OneFloorSessionAsync(status, askPass, j))).ConfigureAwait(false);
        var seconds = sw.Elapsed.TotalSeconds;
        var failed = results.Select((r, i) => (r, jobs[i])).FirstOrDefault(x => x.r is not null);
        return failed.r is null ? (seconds, null) : (seconds, $"{failed.Item2.Target}:{failed.Item2.Port.ToString(CultureInfo.InvariantCulture)}: {failed.r}");
    }

    private static async Task<string?> OneFloorSessionAsync(LabStatus status, string askPass, FloorJob job)
    {
        var psi = new ProcessStartInfo("/usr/bin/ssh") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-F", status.SshConfig, "-tt", "-p", job.Port.ToString(CultureInfo.InvariantCulture), job.Target })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["SSH_ASKPASS"] = askPass;
        psi.Environment["SSH_ASKPASS_REQUIRE"] = "force";
        psi.Environment["DISPLAY"] = ":0";
        psi.Environment["LAB_DEVICE_PASSWORD"] = job.Password;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("ssh did not start");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        var input = new StringBuilder();
        foreach (var c in job.Commands)
        {
            input.Append(c).Append('\r');
        }

        input.Append("quit\r");
        await p.StandardInput.WriteAsync(input.ToString()).ConfigureAwait(false);
        await p.StandardInput.FlushAsync().ConfigureAwait(false);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            return "did not quit within 60 s";
        }

        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        // A session that failed would make the floor look faster than it is.
        return p.ExitCode == 0 && output.Contains(job.Commands[^1], StringComparison.Ordinal)
            ? null
            : $"exit {p.ExitCode.ToString(CultureInfo.InvariantCulture)}: {output[^Math.Min(200, output.Length)..].ReplaceLineEndings(" ")}";
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
