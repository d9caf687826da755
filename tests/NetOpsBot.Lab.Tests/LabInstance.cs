using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Testing;

namespace NetOpsBot.Lab.Tests;

/// <summary>A lab started for one test: its own run directory and loopback block, torn down on dispose.</summary>
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

    public static Task<LabInstance> StartAsync(string scenario, double? bootTimeSeconds = null, int? block = null, bool dotNetVtyShim = false)
    {
        var loaded = ScenarioLoader.Load(scenario);
        if (bootTimeSeconds is { } boot)
        {
            loaded = loaded with { BootTime = TimeSpan.FromSeconds(boot) };
        }

        return StartAsync(loaded, block, dotNetVtyShim);
    }

    public static async Task<LabInstance> StartAsync(Scenario scenario, int? block = null, bool dotNetVtyShim = false, LabNetworkMode network = LabNetworkMode.Loopback)
    {
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-test-" + Guid.NewGuid().ToString("N")[..12]);
        var controller = await LabController.StartAsync(
            new LabOptions { RunDirectory = run, AddressBlock = block ?? NextBlock(), Scenario = scenario, DotNetVtyShim = dotNetVtyShim, Network = network },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None);
        return new LabInstance(controller, run);
    }

    public SshTerminal Ssh(string device, int? port = null) => SshTerminal.Start(Status.SshConfig, device, port, Status.Devices[0].Password);

    public SshTerminal Console(string device) =>
        SshTerminal.Start(Status.SshConfig, "lab-console", Status.Devices.Single(d => d.Name == device).ConsolePort, Status.ConsoleServer.Password);

    public ValueTask DisposeAsync() => Controller.DisposeAsync();
}
