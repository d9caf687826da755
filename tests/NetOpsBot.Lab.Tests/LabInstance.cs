using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Testing;

namespace NetOpsBot.Lab.Tests;

/// <summary>
/// A lab started for one test: its own run directory and address block, torn down on dispose. By default on
/// the product's default network (Auto), which in this suite (root inside `unshare --net`) must be the
/// namespaced lab; a test about the loopback lab asks for it and says so in its name.
/// </summary>
internal sealed class LabInstance : IAsyncDisposable
{
    private static int s_nextBlock = 30;

    private LabInstance(LabController controller, string runDirectory)
    {
        Controller = controller;
        RunDirectory = runDirectory;
    }

    public LabController Controller { get; }

    public string RunDirectory { get; }

    public LabStatus Status => Controller.CurrentStatus();

    public DeviceInfo Device(string name) => Status.Devices.Single(d => d.Name == name);

    public static int NextBlock() => Interlocked.Increment(ref s_nextBlock);

    public static Task<LabInstance> StartAsync(string scenario, double? bootTimeSeconds = null, int? block = null, bool dotNetVtyShim = false, LabNetworkMode network = LabNetworkMode.Auto)
    {
        var loaded = ScenarioLoader.Load(scenario);
        if (bootTimeSeconds is { } boot)
        {
            loaded = loaded with { BootTime = TimeSpan.FromSeconds(boot) };
        }

        return StartAsync(loaded, block, dotNetVtyShim, network);
    }

    public static async Task<LabInstance> StartAsync(Scenario scenario, int? block = null, bool dotNetVtyShim = false, LabNetworkMode network = LabNetworkMode.Auto)
    {
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-test-" + Guid.NewGuid().ToString("N")[..12]);
        var controller = await LabController.StartAsync(
            new LabOptions { RunDirectory = run, AddressBlock = block ?? NextBlock(), Scenario = scenario, DotNetVtyShim = dotNetVtyShim, Network = network },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None);
        var lab = new LabInstance(controller, run);
        if (network == LabNetworkMode.Auto && controller.Topology.Network != LabNetworkMode.Namespaces)
        {
            // A silent fallback would run every "namespaced" assertion against the loopback lab.
            await lab.DisposeAsync();
            throw new InvalidOperationException("the lab tests run as root inside `unshare --net`, where Auto must give namespaces, but: " + controller.NetworkDecision.Reason);
        }

        return lab;
    }

    /// <summary>The jump host's namespace when the lab runs in namespaces: connects made there leave from 10.200.0.10, as the jump host's do.</summary>
    public LabNetwork? JumpNetwork => Controller.PhysicalNetwork;

    public SshTerminal Ssh(string device, int? port = null) => SshTerminal.Start(Status.SshConfig, device, port, Status.Devices[0].Password);

    public SshTerminal Console(string device) =>
        SshTerminal.Start(Status.SshConfig, "lab-console", Status.Devices.Single(d => d.Name == device).ConsolePort, Status.ConsoleServer.Password);

    public ValueTask DisposeAsync() => Controller.DisposeAsync();
}
