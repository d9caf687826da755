using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Lab;

namespace NetOpsBot.Cli.Tests;

/// <summary>A real lab (OpenSSH jump host + emulated VRP devices) for one test class; torn down with it.</summary>
public abstract class DiagLab : IAsyncLifetime
{
    public const string Dut = "sw-access-12";

    // Blocks 160+ keep clear of the lab's tests (30+), the connector's (120+) and the default lab (1).
    private static int s_nextBlock = 159;

    private LabController? _controller;

    protected abstract string ScenarioName { get; }

    /// <summary>The product's default: in this suite (root inside `unshare --net`) the namespaced lab.</summary>
    protected virtual LabNetworkMode Network => LabNetworkMode.Auto;

    public LabController Controller => _controller ?? throw new InvalidOperationException("lab not started");

    public LabStatus Status => Controller.CurrentStatus();

    public string RunDirectory { get; private set; } = string.Empty;

    public string JumpLog => Path.Combine(LabLayout.SshdDirectory(RunDirectory), "jump.log");

    /// <summary>Logins the jump host accepted so far: every connection the bot makes starts with one.</summary>
    public int JumpLogins() =>
        File.Exists(JumpLog) ? ReadShared(JumpLog).Split('\n').Count(l => l.Contains("Accepted publickey", StringComparison.Ordinal)) : 0;

    /// <summary>Runs <c>netopsbot diag</c> against this lab with a 1 s debug window.</summary>
    public Task<DiagRun> DiagAsync(string device = Dut, bool json = true, params string[] extra)
    {
        var args = new List<string> { "diag", device, "--lab-dir", RunDirectory, "--debug-window", "1" };
        if (json)
        {
            args.Add("--json");
        }

        args.AddRange(extra);
        return DiagRun.StartAsync(args);
    }

    public async Task InitializeAsync()
    {
        RunDirectory = Path.Combine(Path.GetTempPath(), "netopsbot-cli-test-" + Guid.NewGuid().ToString("N")[..12]);
        _controller = await LabController.StartAsync(
            new LabOptions { RunDirectory = RunDirectory, AddressBlock = Interlocked.Increment(ref s_nextBlock), Scenario = ScenarioLoader.Load(ScenarioName), Network = Network },
            NullLogger.Instance,
            _ => { },
            CancellationToken.None);
        if (Network == LabNetworkMode.Auto && _controller.Topology.Network != LabNetworkMode.Namespaces)
        {
            // A silent fallback would run the namespaced assertions against the loopback lab.
            throw new InvalidOperationException("the CLI tests run as root inside `unshare --net`, where Auto must give namespaces, but: " + _controller.NetworkDecision.Reason);
        }
    }

    public virtual async Task DisposeAsync()
    {
        if (_controller is not null)
        {
            await _controller.DisposeAsync();
        }
    }

    private static string ReadShared(string path)
    {
        // sshd keeps the log open for writing.
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(fs);
        return reader.ReadToEnd();
    }
}

public sealed class HealthyLab : DiagLab
{
    protected override string ScenarioName => "healthy";
}

public sealed class SshDisabledLab : DiagLab
{
    protected override string ScenarioName => "ssh-disabled";
}

public sealed class NoRsaKeyLab : DiagLab
{
    protected override string ScenarioName => "no-rsa-key";
}

public sealed class NoDefaultRouteLab : DiagLab
{
    protected override string ScenarioName => "no-default-route";
}

public sealed class GhostPortLab : DiagLab
{
    protected override string ScenarioName => "ghost-port";
}

public sealed class VtyAclLab : DiagLab
{
    protected override string ScenarioName => "vty-acl";
}

public sealed class TelnetOnlyVtyLab : DiagLab
{
    protected override string ScenarioName => "telnet-only-vty";
}

public sealed class DeviceDownLab : DiagLab
{
    protected override string ScenarioName => "device-down";
}

public sealed class SeedCaseLab : DiagLab
{
    protected override string ScenarioName => "seed-case";
}

/// <summary>A healthy lab the test is free to break (jump host stopped, device key replaced).</summary>
public sealed class DisposableHealthyLab : DiagLab
{
    protected override string ScenarioName => "healthy";
}

public sealed class MgmtInterfaceDownLab : DiagLab
{
    protected override string ScenarioName => "mgmt-interface-down";
}

public sealed class InterfaceAclLab : DiagLab
{
    protected override string ScenarioName => "interface-acl";
}
