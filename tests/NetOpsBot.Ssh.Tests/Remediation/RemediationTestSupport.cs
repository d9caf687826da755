using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Remediation;
using NetOpsBot.Lab;
using NetOpsBot.Vrp.Remediation;
using Xunit.Abstractions;

namespace NetOpsBot.Ssh.Tests.Remediation;

/// <summary>
/// A real lab for the remediation tests: a scenario with its boot time overridden, in address blocks
/// 230-250 so these labs never collide with the other suites' labs.
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
            new LabOptions { RunDirectory = RunDirectory, AddressBlock = AddressBlock, Scenario = scenario },
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

/// <summary>
/// The Host-side adapter from the SSH connector's session to the executor's port: "y"/"n" become an
/// explicit answer, null declines. The connector answers every question of a command alike, so the
/// per-question overload is refused before anything is sent (see the report: needs a connector change).
/// </summary>
internal sealed class VrpConfirmingSession(IVrpCliSession inner) : IConfirmingCliSession
{
    public Task<CliResult> RunAsync(string command, TimeSpan timeout, string? answer, CancellationToken cancellationToken) =>
        inner.RunAsync(command, timeout, answer is null ? ConfirmationPolicy.Decline : ConfirmationPolicy.Answer(answer), cancellationToken);

    public Task<CliResult> RunAnsweringEachAsync(string command, TimeSpan timeout, Func<string, string?> answerFor, CancellationToken cancellationToken) =>
        inner.RunAsync(command, timeout, ConfirmationPolicy.AnswerEach(answerFor), cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

internal static class RemediationTestSupport
{
    /// <summary>
    /// Opens a session the way the runbook chooses its path: SSH on the configured port, then any
    /// alternate port that answers, then the console (the seed case starts with 22 refused).
    /// </summary>
    public static Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> Opener(SshDeviceAccess access) => async (device, ct) =>
    {
        var paths = new List<AccessPath>();
        foreach (var port in new[] { device.SshPort }.Concat(device.AlternatePorts).Distinct())
        {
            var probe = await access.ProbeAsync(device, port, TimeSpan.FromSeconds(2), ct);
            if (probe.Outcome == ProbeOutcome.Open)
            {
                paths.Add(AccessPath.Ssh(port));
            }
        }

        if (device.Console is not null)
        {
            paths.Add(AccessPath.Console);
        }

        DeviceAccessException? last = null;
        foreach (var path in paths)
        {
            try
            {
                return new VrpConfirmingSession(await access.OpenVrpCliAsync(device, path, ct));
            }
            catch (DeviceAccessException ex)
            {
                last = ex;
            }
        }

        throw last ?? new DeviceAccessException(DeviceAccessFailure.Refused, $"{device.Name}: no access path");
    };

    public static RemediationPlan RebootPlan() => new(
        "test.reboot",
        RootCause.ListenerStuck,
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
            RootCause.ReturnRouteMissing,
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
