using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Lab;

namespace NetOpsBot.Host.Tests;

/// <summary>
/// A real lab for the host, Teams and Slack tests; address blocks 200+ keep clear of the other suites. Namespaced by
/// default (issue 15): the kernel decides what the jump host sees, so a missing return route is a timeout, never the
/// loopback lab's refusal that contradicted it.
/// </summary>
internal sealed class TestLab : IAsyncDisposable
{
    private static int s_block = 200;

    private TestLab(LabController controller, string run, string work)
    {
        Controller = controller;
        RunDirectory = run;
        WorkDirectory = work;
    }

    public LabController Controller { get; }

    public string RunDirectory { get; }

    /// <summary>Scratch space for the host's database and screenshots of this test.</summary>
    public string WorkDirectory { get; }

    public string Database => Path.Combine(WorkDirectory, "netopsbot.db");

    public static async Task<TestLab> StartAsync(string scenario, double? bootTimeSeconds = null, LabNetworkMode network = LabNetworkMode.Namespaces)
    {
        var loaded = ScenarioLoader.Load(scenario);
        if (bootTimeSeconds is { } boot)
        {
            loaded = loaded with { BootTime = TimeSpan.FromSeconds(boot) };
        }

        var id = Guid.NewGuid().ToString("N")[..10];
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-host-lab-" + id);
        var work = Path.Combine(Path.GetTempPath(), "netopsbot-host-work-" + id);
        Directory.CreateDirectory(work);
        // The previous test assembly's last lab may still be vanishing (the kernel frees a namespace's links in the
        // background): a block still in use is skipped, not a failure.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var controller = await LabController.StartAsync(
                    new LabOptions { RunDirectory = run, AddressBlock = Interlocked.Increment(ref s_block), Scenario = loaded, Network = network },
                    NullLogger.Instance,
                    _ => { },
                    CancellationToken.None);
                return new TestLab(controller, run, work);
            }
            catch (LabException ex) when (attempt < 10 && ex.Message.Contains("is already in use", StringComparison.Ordinal))
            {
                if (Directory.Exists(run))
                {
                    Directory.Delete(run, recursive: true);
                }
            }
        }
    }

    /// <summary>
    /// On the namespaced lab, the command prefix that runs a process in the jump host's namespace (the management
    /// subnet, where monitoring sits) and the address it is reachable on from here; null on the loopback lab.
    /// </summary>
    public (IReadOnlyList<string> Enter, string Address)? ManagementSubnet()
    {
        if (Controller.Topology.Network != LabNetworkMode.Namespaces)
        {
            return null;
        }

        // The lab's namespace holders are labelled with their run directory (see LabNetwork.StartHolder).
        var label = Path.Combine(RunDirectory, "netns", "jump");
        foreach (var proc in Directory.EnumerateDirectories("/proc"))
        {
            string[] args;
            try
            {
                args = File.ReadAllText(Path.Combine(proc, "cmdline")).Split('\0');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (args.Contains(label) && args.Contains("netopsbot-netns"))
            {
                return (["/usr/bin/nsenter", $"--net={proc}/ns/net", "--"], Controller.Topology.JumpHostAddress);
            }
        }

        throw new InvalidOperationException("no namespace holder labelled " + label);
    }

    /// <summary>Connections that reached a device's sshd, read from sshd's own log.</summary>
    public int DeviceConnections(string device) =>
        File.Exists(Path.Combine(RunDirectory, "sshd", device + ".log"))
            ? File.ReadAllLines(Path.Combine(RunDirectory, "sshd", device + ".log")).Count(l => l.Contains("Connection from", StringComparison.Ordinal))
            : 0;

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
