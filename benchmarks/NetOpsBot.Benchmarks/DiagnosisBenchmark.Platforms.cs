using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Lab;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// IOS-XE and VRP side by side: the same root cause on each platform, the bot's whole diagnosis (probes, device
/// and gateway sessions, the SSH-debug step with the host's default window, the rules) beside the OpenSSH floor
/// for the same commands through the same jump host (`ssh -J`, both sessions at once), in one run. The VRP rows run
/// on the scenario's own lab (sw-access-12), the IOS-XE rows on `mixed-site` (one Catalyst per root cause).
/// The floor takes the bot's own CLI path: SSH to the switch, or its console line (through the lab's console server)
/// when SSH is the fault; a switch with no CLI path at all (down) has no floor.
/// </summary>
internal static partial class DiagnosisBenchmark
{
    private static readonly (string Cause, string VrpScenario, string IosXeDevice)[] Pairs =
    [
        ("healthy", "healthy", "cat-access-21"),
        ("rsa-key-missing", "no-rsa-key", "cat-access-22"),
        ("vty-protocol-not-ssh", "telnet-only-vty", "cat-access-23"),
        ("vty-acl-denies-management", "vty-acl", "cat-access-24"),
        ("return-route-missing", "no-default-route", "cat-access-25"),
        ("device-unreachable", "device-down", "cat-access-26"),
        ("listener-stuck", "ghost-port", "cat-access-27"),
    ];

    public static async Task<bool> RunPlatformsAsync(int runs)
    {
        var network = Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_LAB_NETWORK") is "namespaces" ? LabNetworkMode.Namespaces : LabNetworkMode.Loopback;
        Console.WriteLine($"platforms: the same root cause on Huawei VRP and Cisco IOS-XE, median of {runs} runs each, lab network {network}");
        Console.WriteLine("  bot: the whole ssh-unreachable diagnosis (host defaults: 3 s SSH-debug window, ended early when the device is quiet), new jump login per run");
        Console.WriteLine("  floor: OpenSSH `ssh -F <lab>/ssh_config -tt` (ProxyJump = ssh -J), the bot's own device and gateway commands, both sessions at once");
        var rows = new Dictionary<(string Cause, string Platform), Row>();
        var ok = true;
        foreach (var (cause, scenario, _) in Pairs)
        {
            ok &= await WithLabAsync(scenario, network, async bench =>
            {
                rows[(cause, "huawei-vrp")] = await MeasureDeviceAsync(bench, Dut, cause, runs).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }

        ok &= await WithLabAsync("mixed-site", network, async bench =>
        {
            foreach (var (cause, _, device) in Pairs)
            {
                rows[(cause, "cisco-iosxe")] = await MeasureDeviceAsync(bench, device, cause, runs).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        Console.WriteLine(F($"  {"root cause",-26} | {"VRP bot",8} {"floor",8} {"ratio",6} | {"IOS-XE bot",10} {"floor",8} {"ratio",6} | IOS-XE/VRP bot"));
        foreach (var (cause, _, _) in Pairs)
        {
            var v = rows.GetValueOrDefault((cause, "huawei-vrp"));
            var x = rows.GetValueOrDefault((cause, "cisco-iosxe"));
            Console.WriteLine(F($"  {cause,-26} | {Ms(v?.Bot),8} {Ms(v?.Floor),8} {Ratio(v?.Bot, v?.Floor),6} | {Ms(x?.Bot),10} {Ms(x?.Floor),8} {Ratio(x?.Bot, x?.Floor),6} | {Ratio(x?.Bot, v?.Bot)}"));
        }

        foreach (var ((cause, platform), row) in rows.Where(r => !r.Value.VerdictRight).OrderBy(r => r.Key.Cause, StringComparer.Ordinal))
        {
            Console.WriteLine($"  WRONG VERDICT {platform} {cause}: {row.Verdict}");
        }

        return ok && rows.Count == 2 * Pairs.Length && rows.Values.All(r => r.VerdictRight);
    }

    private sealed record Row(double Bot, double? Floor, string Verdict, bool VerdictRight);

    private static async Task<bool> WithLabAsync(string scenario, LabNetworkMode network, Func<Context, Task> body)
    {
        var runDir = Path.Combine(Path.GetTempPath(), "netopsbot-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var block = Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_BLOCK") is { Length: > 0 } b ? int.Parse(b, CultureInfo.InvariantCulture) : 250;
        var lab = await LabController.StartAsync(
            new LabOptions { RunDirectory = runDir, AddressBlock = block, Scenario = ScenarioLoader.Load(scenario), Network = network },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None).ConfigureAwait(false);
        await using (lab.ConfigureAwait(false))
        {
            // The host's default window: what a person waits for, on both platforms alike.
            await body(new Context(lab.CurrentStatus(), runDir, TimeSpan.FromSeconds(3))).ConfigureAwait(false);
            return true;
        }
    }

    private static async Task<Row> MeasureDeviceAsync(Context bench, string device, string cause, int runs)
    {
        var warm = await bench.DiagnoseAsync([device], withGateway: true).ConfigureAwait(false);
        var report = warm.Reports[0];
        var codes = report.RootCauseCodes.Order(StringComparer.Ordinal).ToList();
        var verdict = codes.Count == 0 ? "healthy" : string.Join("+", codes);
        var right = cause == "healthy" ? codes.Count == 0 || codes.SequenceEqual(["healthy"]) : codes.Contains(cause);
        var access = report.Step("access")?.Finding ?? string.Empty;
        var at = access.IndexOf("CLI via ssh:", StringComparison.Ordinal);
        List<Job>? jobs = null;
        // The pager off first, as the bot's session does on login (the report lists only the runbook's commands).
        var deviceCommands = report.Steps.Where(s => s.StepId != "gateway").SelectMany(s => s.Commands).ToList();
        if (deviceCommands.Count > 0 && bench.PagingOff(device) is { } pagingOff)
        {
            deviceCommands.Insert(0, pagingOff);
        }

        if (at >= 0)
        {
            var port = int.Parse(access[(at + "CLI via ssh:".Length)..].TakeWhile(char.IsAsciiDigit).ToArray(), CultureInfo.InvariantCulture);
            jobs = [new Job(device, bench.Address(device), port, deviceCommands)];
        }
        else if (deviceCommands.Count > 0 && access.Contains("CLI via console", StringComparison.Ordinal))
        {
            // The bot's path when SSH is the fault: the switch's console line through the lab's console server.
            var status = bench.Status;
            jobs = [new Job("lab-console", "lab-console", status.Devices.Single(d => d.Name == device).ConsolePort, deviceCommands, status.ConsoleServer.Password)];
        }

        if (jobs is not null)
        {
            List<string> gatewayCommands = [.. report.Step("gateway")?.Commands ?? []];
            if (gatewayCommands.Count > 0 && bench.PagingOff(Gateway) is { } gatewayPaging)
            {
                gatewayCommands.Insert(0, gatewayPaging);
            }

            if (gatewayCommands.Count > 0)
            {
                jobs.Add(new Job(Gateway, bench.Address(Gateway), bench.Port(Gateway), gatewayCommands));
            }

            _ = await bench.OpenSshAsync(jobs).ConfigureAwait(false);
        }

        var bot = new List<double>();
        var floor = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            bot.Add((await bench.DiagnoseAsync([device], withGateway: true).ConfigureAwait(false)).Milliseconds);
            if (jobs is not null)
            {
                floor.Add(await bench.OpenSshAsync(jobs).ConfigureAwait(false));
            }
        }

        var row = new Row(Median(bot), jobs is null ? null : Median(floor), verdict, right);
        var path = jobs is null
            ? "no CLI path, no floor (" + Cut(access) + ")"
            : $"{(jobs[0].Name == "lab-console" ? "console line" : "ssh")}: {jobs[0].Commands.Count} device + {(jobs.Count > 1 ? jobs[1].Commands.Count : 0)} gateway commands";
        Console.WriteLine(F($"    {device,-14} {cause,-26} bot {row.Bot,7:0} ms  floor {Ms(row.Floor),7}  verdict {verdict}; {path}"));
        return row;
    }

    private static string Cut(string s) => s.Length <= 80 ? s : s[..80] + "…";

    private static string Ms(double? ms) => ms is { } v ? F($"{v:0}ms") : "n/a";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? F($"{x / y:0.0}x") : "n/a";
}
