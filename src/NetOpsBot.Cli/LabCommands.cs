using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using NetOpsBot.Lab;
using Serilog;
using Serilog.Extensions.Logging;

namespace NetOpsBot.Cli;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class LabCommands
{
    public static Command Build()
    {
        var lab = new Command("lab", "Run the lab: a real OpenSSH jump host in front of emulated Huawei VRP switches.");

        var scenario = new Option<string>("--scenario") { Description = "Scenario name (" + string.Join(", ", ScenarioLoader.BuiltInNames()) + ") or path to a scenario file.", DefaultValueFactory = _ => "healthy" };
        var detach = new Option<bool>("--detach") { Description = "Start in the background and return once the lab is up." };
        var runDir = new Option<string>("--run-dir") { Description = "Directory for the lab's keys, configs and status.", DefaultValueFactory = _ => LabLayout.DefaultRunDirectory };
        var block = new Option<int>("--address-block") { Description = "Use loopback addresses 127.0.N.x (1-254), so labs can run side by side.", DefaultValueFactory = _ => 1 };
        var extra = new Option<int>("--extra-switches") { Description = "Add N healthy access switches (sw-access-15 and up) for load tests.", DefaultValueFactory = _ => 0 };
        var network = new Option<LabNetworkMode>("--network") { Description = "auto (default): namespaces when running as root, else loopback. namespaces: one network namespace per switch, kernel routes follow the emulator (needs root; docs/LAB-NETWORK.md). loopback: every endpoint on 127.0.N.x.", DefaultValueFactory = _ => LabNetworkMode.Auto };
        var daemon = new Option<bool>("--daemon") { Hidden = true };
        var json = new Option<bool>("--json") { Description = "Print machine-readable JSON." };

        var up = new Command("up", "Start the lab.") { scenario, detach, runDir, block, extra, network, daemon };
        up.SetAction((result, ct) => UpAsync(result.GetValue(scenario)!, result.GetValue(detach), result.GetValue(runDir)!, result.GetValue(block), result.GetValue(extra), result.GetValue(network), result.GetValue(daemon), ct));

        var status = new Command("status", "Show where the lab is and how to reach it.") { json, runDir };
        status.SetAction(result => Status(result.GetValue(runDir)!, result.GetValue(json)));

        var down = new Command("down", "Stop the lab and remove everything it created.") { runDir };
        down.SetAction((result, ct) => DownAsync(result.GetValue(runDir)!, ct));

        lab.Subcommands.Add(up);
        lab.Subcommands.Add(status);
        lab.Subcommands.Add(down);
        return lab;
    }

    private static async Task<int> UpAsync(string scenarioName, bool detach, string runDir, int block, int extra, LabNetworkMode network, bool daemon, CancellationToken ct)
    {
        runDir = Path.GetFullPath(runDir);
        Scenario scenario;
        try
        {
            scenario = ScenarioLoader.Load(scenarioName);
        }
        catch (ScenarioException ex)
        {
            await Console.Error.WriteLineAsync("lab up: " + ex.Message).ConfigureAwait(false);
            return 2;
        }

        if (detach && !daemon)
        {
            return await StartDetachedAsync(scenario, runDir, block, extra, network, ct).ConfigureAwait(false);
        }

        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Console(standardErrorFromLevel: Serilog.Events.LogEventLevel.Warning)
            .CreateLogger();
        using var factory = new SerilogLoggerFactory(logger, dispose: true);
        var log = factory.CreateLogger("lab");
        var stopwatch = Stopwatch.StartNew();
        LabController controller;
        try
        {
            controller = await LabController.StartAsync(
                new LabOptions { RunDirectory = runDir, AddressBlock = block, Scenario = scenario, ExtraAccessSwitches = extra, Network = network },
                log,
                message => Console.WriteLine(message),
                ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LabException or ArgumentOutOfRangeException)
        {
            await Console.Error.WriteLineAsync("lab up: " + ex.Message).ConfigureAwait(false);
            return 1;
        }

        await using (controller.ConfigureAwait(false))
        {
            PrintSummary(controller.CurrentStatus(), stopwatch.Elapsed);
            var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
            using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => { ctx.Cancel = true; stop.TrySetResult(); });
            using var reg = ct.Register(() => stop.TrySetResult());
            if (!daemon)
            {
                Console.WriteLine("Lab is running; press Ctrl-C to stop it.");
            }

            await stop.Task.ConfigureAwait(false);
            Console.WriteLine("Stopping the lab...");
        }

        return 0;
    }

    private static string DaemonLog(string runDir) => runDir.TrimEnd('/') + ".daemon.log";

    private static async Task<int> StartDetachedAsync(Scenario scenario, string runDir, int block, int extra, LabNetworkMode network, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("process path unknown");
        var args = new List<string>();
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            args.Add(typeof(LabCommands).Assembly.Location);
        }

        args.AddRange(["lab", "up", "--scenario", scenario.SourceFile, "--run-dir", runDir, "--address-block", block.ToString(CultureInfo.InvariantCulture), "--extra-switches", extra.ToString(CultureInfo.InvariantCulture), "--network", network.ToString().ToLowerInvariant(), "--daemon"]);
        var logFile = DaemonLog(runDir);
        var statusPath = LabLayout.StatusPath(runDir);
        if (LabStatus.Read(runDir) is { Running: true } running)
        {
            await Console.Error.WriteLineAsync($"lab up: a lab is already running in {runDir} (pid {running.Pid}). Stop it with `netopsbot lab down`, or use --run-dir and --address-block for a second one.").ConfigureAwait(false);
            return 1;
        }

        // setsid detaches the lab from this terminal's session, so closing the shell does not stop it.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("log=\"$1\"; shift; setsid \"$@\" </dev/null >\"$log\" 2>&1 & echo $!");
        psi.ArgumentList.Add("netopsbot");
        psi.ArgumentList.Add(logFile);
        psi.ArgumentList.Add(self);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.RedirectStandardOutput = true;
        var stopwatch = Stopwatch.StartNew();
        using (var sh = Process.Start(psi) ?? throw new InvalidOperationException("could not start /bin/sh"))
        {
            var pidText = await sh.StandardOutput.ReadToEndAsync(ct).ConfigureAwait(false);
            await sh.WaitForExitAsync(ct).ConfigureAwait(false);
            if (!int.TryParse(pidText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                await Console.Error.WriteLineAsync("lab up: could not start the lab in the background.").ConfigureAwait(false);
                return 1;
            }

            while (stopwatch.Elapsed < TimeSpan.FromSeconds(120))
            {
                if (File.Exists(statusPath) && LabStatus.Read(runDir) is { Running: true } status && status.Pid == pid)
                {
                    PrintSummary(status, stopwatch.Elapsed);
                    Console.WriteLine($"Lab is running in the background (pid {pid}); stop it with `netopsbot lab down{(runDir == LabLayout.DefaultRunDirectory ? string.Empty : " --run-dir " + runDir)}`.");
                    return 0;
                }

                if (!LabShutdown.IsAlive(pid))
                {
                    var output = File.Exists(logFile) ? await File.ReadAllTextAsync(logFile, ct).ConfigureAwait(false) : string.Empty;
                    File.Delete(logFile);
                    await Console.Error.WriteAsync(output).ConfigureAwait(false);
                    return 1;
                }

                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }

        await Console.Error.WriteLineAsync($"lab up: the lab did not come up within 120 s; see {logFile}.").ConfigureAwait(false);
        return 1;
    }

    private static void PrintSummary(LabStatus status, TimeSpan elapsed)
    {
        Console.WriteLine($"Lab up in {elapsed.TotalSeconds:0.0} s - scenario {status.Scenario}: {status.ScenarioDescription}");
        Console.WriteLine($"  network     {status.Network}{(status.NetworkReason is { Length: > 0 } why ? " - " + why : string.Empty)}");
        Console.WriteLine($"  jump host   {status.JumpHost.User}@{status.JumpHost.Address}:{status.JumpHost.Port}  key {status.JumpHost.KeyFile}");
        Console.WriteLine($"  known_hosts {status.KnownHosts}");
        Console.WriteLine($"  inventory   {status.Inventory}");
        Console.WriteLine($"  console     {status.ConsoleServer.User}@{status.ConsoleServer.Address} port 7001+n (ssh -F {status.SshConfig} -p PORT lab-console)");
        foreach (var d in status.Devices)
        {
            var ports = d.Ports.Count == 0 ? "(nothing listening)" : string.Join(",", d.Ports);
            Console.WriteLine($"  {d.Name,-13} {d.Address,-12} tcp {ports,-12} {d.Power,-9} console {status.ConsoleServer.Address}:{d.ConsolePort}");
        }

        Console.WriteLine($"  ssh_config  {status.SshConfig}");
        Console.WriteLine($"  try: ssh -F {status.SshConfig} sw-access-12   (device login {status.Devices[0].User}, password in `lab status --json`)");
    }

    private static int Status(string runDir, bool json)
    {
        runDir = Path.GetFullPath(runDir);
        var status = LabStatus.Read(runDir);
        if (status is null || !status.Running)
        {
            if (json)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { running = false, runDirectory = runDir }, LabStatus.Json));
            }
            else
            {
                Console.WriteLine($"No lab is running in {runDir}. Start one with `netopsbot lab up --scenario seed-case --detach`.");
            }

            return 3;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(status, LabStatus.Json));
        }
        else
        {
            PrintSummary(status, TimeSpan.Zero);
        }

        return 0;
    }

    private static async Task<int> DownAsync(string runDir, CancellationToken ct)
    {
        runDir = Path.GetFullPath(runDir);
        var result = await LabShutdown.StopAsync(runDir, ct).ConfigureAwait(false);
        var log = DaemonLog(runDir);
        if (File.Exists(log))
        {
            File.Delete(log);
        }

        Console.WriteLine(result);
        return 0;
    }
}
