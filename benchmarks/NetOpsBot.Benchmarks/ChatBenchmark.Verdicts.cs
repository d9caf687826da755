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
        var network = Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_LAB_NETWORK") is { Length: > 0 } n ? n : "the CLI's default (namespaces as root)";
        Console.WriteLine($"verdicts: /sshdiag sw-access-12 -> verdict on the card (incident leaves Running), host defaults (debug window 3 s), lab network: {network}");
        Console.WriteLine($"  median of {runs} rounds; each round a fresh lab and host per scenario (a second /sshdiag in the same web chat would join the open incident)");
        Console.WriteLine("  floor: OpenSSH, `ssh -F <lab>/ssh_config -tt` (ProxyJump through the same jump host = ssh -J), the diagnosis' own device and gateway commands, both sessions at once, then quit");
        var verdicts = scenarios.ToDictionary(s => s, _ => new List<double>(), StringComparer.Ordinal);
        var floors = scenarios.ToDictionary(s => s, _ => new List<double>(), StringComparer.Ordinal);
        var notes = new Dictionary<string, string>(StringComparer.Ordinal);
        var ok = true;
        for (var round = 0; round < runs; round++)
        {
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
                        var plan = await FloorJobsAsync(cli, status).ConfigureAwait(false);
                        var sw = Stopwatch.StartNew();
                        var (seconds, causes) = (await TimeToVerdictsAsync(host.Http, [await SshdiagAsync(host.Http, "sw-access-12").ConfigureAwait(false)], sw).ConfigureAwait(false))[0];
                        verdicts[scenario].Add(seconds);
                        ok &= scenario == "healthy" || causes > 0;
                        // The diagnosis' device session may still be closing (its quit): the lab's switch takes one VTY login per user at a time.
                        await Task.Delay(500).ConfigureAwait(false);
                        var (floor, problem) = await OpenSshFloorAsync(status, plan.Jobs).ConfigureAwait(false);
                        if (problem is null)
                        {
                            floors[scenario].Add(floor);
                        }

                        notes[scenario] = $"{causes} root cause(s); {plan.Describe}{(problem is null ? string.Empty : "; floor failed: " + problem)}";
                        Console.WriteLine(Fmt($"    round {round + 1} {scenario,-20} verdict {seconds:0.00} s  floor {(problem is null ? floor.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "n/a")}"));
                        return new Outcome(true, double.NaN, double.NaN);
                    },
                    scenario,
                    extraSwitches: 0,
                    settings).ConfigureAwait(false);
            }
        }

        Console.WriteLine(Fmt($"  {"scenario",-20} {"verdict",8} {"floor",8} {"ratio",7}  root causes; the floor's sessions"));
        foreach (var scenario in scenarios)
        {
            var v = Median(verdicts[scenario]);
            var f = floors[scenario].Count > 0 ? Median(floors[scenario]) : double.NaN;
            var ratio = double.IsNaN(f) ? "n/a" : (v / f).ToString("0.0", CultureInfo.InvariantCulture) + "x";
            var floorText = double.IsNaN(f) ? "n/a" : f.ToString("0.00", CultureInfo.InvariantCulture) + "s";
            Console.WriteLine(Fmt($"  {scenario,-20} {v,7:0.00}s {floorText,8} {ratio,7}  {notes.GetValueOrDefault(scenario)}"));
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
