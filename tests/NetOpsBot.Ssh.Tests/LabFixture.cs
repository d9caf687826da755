using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Core.Devices;
using NetOpsBot.Lab;
using NetOpsBot.Platforms;

namespace NetOpsBot.Ssh.Tests;

/// <summary>A real lab (OpenSSH jump host + emulated VRP devices) shared by the tests of one class.</summary>
public abstract class LabFixture : IAsyncLifetime
{
    // Blocks 120+ keep clear of the lab's own tests (30+) and of the default lab (1).
    private static int s_nextBlock = 119;

    private LabController? _controller;

    protected abstract string ScenarioName { get; }

    /// <summary>The lab as a network, like every other suite: the connector meets the kernel's physics.</summary>
    protected virtual LabNetworkMode Network => LabNetworkMode.Namespaces;

    public LabController Controller => _controller ?? throw new InvalidOperationException("lab not started");

    public LabStatus Status => Controller.CurrentStatus();

    public string RunDirectory { get; private set; } = string.Empty;

    public InventoryFile Inventory { get; private set; } = null!;

    public string Password => Status.Devices[0].Password;

    public string JumpLog => Path.Combine(RunDirectory, "sshd", "jump.log");

    public DeviceRef Device(string name = "sw-access-12") => Inventory[name];

    public SshConnectorOptions Options() => Inventory.ToConnectorOptions(Status.KnownHosts) with
    {
        Dialects = KnownPlatforms.All.DialectFor,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        PromptTimeout = TimeSpan.FromSeconds(5),
        CommandTimeout = TimeSpan.FromSeconds(10),
        QueueTimeout = TimeSpan.FromSeconds(30),
    };

    public SshDeviceAccess Access(SshConnectorOptions? options = null, ILogger? logger = null, ICredentialProvider? credentials = null) =>
        new(options ?? Options(), credentials ?? new JsonFileCredentialProvider(LabLayout.CredentialsPath(RunDirectory)), logger ?? NullLogger.Instance);

    public int JumpLoginsInLog() =>
        File.Exists(JumpLog) ? File.ReadLines(JumpLog).Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal)) : 0;

    public async Task InitializeAsync()
    {
        RunDirectory = Path.Combine(Path.GetTempPath(), "netopsbot-ssh-test-" + Guid.NewGuid().ToString("N")[..12]);
        _controller = await LabController.StartAsync(
            new LabOptions { RunDirectory = RunDirectory, AddressBlock = Interlocked.Increment(ref s_nextBlock), Scenario = ScenarioLoader.Load(ScenarioName), Network = Network },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None);
        Inventory = InventoryFile.Load(Status.Inventory);
    }

    public async Task DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }
}

public sealed class HealthyLab : LabFixture
{
    protected override string ScenarioName => "healthy";
}

public sealed class GhostPortLab : LabFixture
{
    protected override string ScenarioName => "ghost-port";
}

public sealed class DeviceDownLab : LabFixture
{
    protected override string ScenarioName => "device-down";
}
