using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Lab;
using NetOpsBot.Platforms;
using NetOpsBot.Runbooks.SshUnreachable;
using NetOpsBot.Vrp.Remediation;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests.Remediation;

/// <summary>
/// A real lab for the remediation tests: a scenario with its boot time overridden, in address blocks
/// 230-250 so these labs never collide with the other suites' labs. Namespaced like the rest of the suite: a
/// switch without a route back is reached over the console, as the host reaches it.
/// </summary>
public abstract class RemediationLab : IAsyncLifetime
{
    private LabController? _controller;

    protected abstract int AddressBlock { get; }

    protected abstract string ScenarioName { get; }

    protected abstract TimeSpan BootTime { get; }

    public LabController Controller => _controller ?? throw new InvalidOperationException("lab not started");

    public string RunDirectory { get; private set; } = string.Empty;

    public InventoryFile Inventory { get; private set; } = null!;

    public DeviceRef Device(string name = "sw-access-12") => Inventory[name];

    public SshDeviceAccess Access() =>
        new(
            Inventory.ToConnectorOptions(Controller.CurrentStatus().KnownHosts) with
            {
                Dialects = KnownPlatforms.All.DialectFor,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PromptTimeout = TimeSpan.FromSeconds(5),
                CommandTimeout = TimeSpan.FromSeconds(10),
                QueueTimeout = TimeSpan.FromSeconds(30),
            },
            new JsonFileCredentialProvider(LabLayout.CredentialsPath(RunDirectory)),
            NullLogger.Instance);

    public async Task InitializeAsync()
    {
        RunDirectory = Path.Combine(Path.GetTempPath(), "netopsbot-remediation-test-" + Guid.NewGuid().ToString("N")[..12]);
        var scenario = ScenarioLoader.Load(ScenarioName) with { BootTime = BootTime };
        _controller = await LabController.StartAsync(
            new LabOptions { RunDirectory = RunDirectory, AddressBlock = AddressBlock, Scenario = scenario, Network = LabNetworkMode.Namespaces },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None);
        Inventory = InventoryFile.Load(Controller.CurrentStatus().Inventory);
    }

    public async Task DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }
}

internal static class RemediationTestSupport
{
    /// <summary>The same session opener the host uses.</summary>
    public static Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> Opener(SshDeviceAccess access) => RemediationSessions.Opener(access);

    public static RemediationPlan RebootPlan() => new(
        "test.reboot",
        SshUnreachableCauses.ListenerStuck,
        "Save and reboot",
        [CommandTemplate.Parse("save").Render(), CommandTemplate.Parse("reboot").Render()],
        RemediationKind.Reboot,
        ApprovalPolicy.For(RemediationKind.Reboot));

    public static RemediationPlan RoutePlan(string gateway)
    {
        var route = CommandTemplate.Parse("ip route-static 0.0.0.0 0.0.0.0 {gateway:ipv4}")
            .TryRender(new Dictionary<string, string>(StringComparer.Ordinal) { ["gateway"] = gateway });
        Assert.True(route.Succeeded, string.Join("; ", route.Errors));
        return new RemediationPlan(
            "test.default-route",
            SshUnreachableCauses.ReturnRouteMissing,
            "Add a default route via " + gateway,
            [CommandTemplate.Parse("system-view").Render(), route.Command, CommandTemplate.Parse("return").Render()],
            RemediationKind.Config,
            ApprovalPolicy.For(RemediationKind.Config));
    }

    /// <summary>Reads the running routing table on a fresh session (test-side check, not the executor's).</summary>
    public static async Task<string> RoutingTableAsync(SshDeviceAccess access, DeviceRef device)
    {
        await using var session = await Opener(access)(device, CancellationToken.None);
        var r = await session.RunAsync("display ip routing-table", TimeSpan.FromSeconds(10), null, CancellationToken.None);
        return r.Output;
    }
}

/// <summary>Keeps every progress line (and its JSON detail) in order, and echoes it to the test output.</summary>
internal sealed class RecordingObserver(ITestOutputHelper? output = null) : IExecutionObserver
{
    private readonly ConcurrentQueue<(string Summary, string? Detail)> _lines = new();

    public IReadOnlyList<(string Summary, string? Detail)> Lines => [.. _lines];

    public IReadOnlyList<string> Summaries => [.. _lines.Select(l => l.Summary)];

    public void Progress(string summary, string? detailJson)
    {
        _lines.Enqueue((summary, detailJson));
        try
        {
            output?.WriteLine(summary);
        }
        catch (InvalidOperationException)
        {
            // The helper throws once the test has finished; a late line is not worth failing for.
        }
    }
}
