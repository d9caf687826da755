using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NetOpsBot.Cli;
using NetOpsBot.Platforms;
using NetOpsBot.Ssh;
using NetOpsBot.Testing;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16, seam 4: the Host and the CLI compose device access and diagnosis with the same AddNetOpsX calls over
/// the same configuration keys, so `netopsbot diag` and `/sshdiag` cannot judge a device differently; a bad value
/// stops the host at start naming its key.
/// </summary>
public sealed partial class CompositionTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("netopsbot-compose-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void DiagAndTheHost_ReadTheManagementSubnetFromTheSameKeys_NotFromTheInventory()
    {
        // The inventory still says what the lab writes; the operator configured another subnet and jump host address.
        var inventory = Write("inventory.json", """{ "managementSubnet": "10.200.0.0/24", "jumpHosts": [ { "name": "jh", "address": "127.0.0.1", "port": 22, "managementIp": "10.200.0.10" } ], "devices": [] }""");
        var appsettings = Write("appsettings.json", """{ "NetOps": { "Diagnosis": { "ManagementSubnet": "10.99.0.0/24", "JumpHostIp": "10.99.0.7", "CommandTimeoutSeconds": 17 } } }""");

        // The Host: WebApplication reads its appsettings.json, then the environment, and calls AddNetOpsPlatforms.
        var hostConfiguration = new ConfigurationBuilder().AddJsonFile(appsettings).AddEnvironmentVariables().Build();
        using var host = new ServiceCollection().AddNetOpsPlatforms(hostConfiguration).BuildServiceProvider();
        var hostOptions = host.GetRequiredService<SshUnreachableOptions>();

        // The CLI: `netopsbot diag --config <the host's appsettings> --inventory <file>`.
        var cliConfiguration = DiagCommand.Configuration(appsettings, new Dictionary<string, string?> { ["NetOps:InventoryPath"] = inventory });
        using var cli = DiagCommand.Compose(cliConfiguration);
        var cliOptions = cli.GetRequiredService<SshUnreachableOptions>();

        Assert.Equal("10.99.0.0/24", cliOptions.ManagementSubnet.ToString());
        Assert.Equal("10.99.0.7", cliOptions.JumpHostIp?.ToString());
        Assert.Equal(TimeSpan.FromSeconds(17), cliOptions.CommandTimeout);
        AssertSame(hostOptions, cliOptions);
    }

    [Fact]
    public void DiagAndTheHost_AgreeOnTheDefaults()
    {
        using var host = new ServiceCollection().AddNetOpsPlatforms(new ConfigurationBuilder().Build()).BuildServiceProvider();
        using var cli = DiagCommand.Compose(DiagCommand.Configuration(null, new Dictionary<string, string?>()));
        AssertSame(host.GetRequiredService<SshUnreachableOptions>(), cli.GetRequiredService<SshUnreachableOptions>());
    }

    /// <summary>The behaviour above holds only while both roots go through the shared registrations; read their source.</summary>
    [Theory]
    [InlineData("NetOpsBot.Host/Program.cs")]
    [InlineData("NetOpsBot.Cli/DiagCommand.cs")]
    public void BothCompositionRoots_BuildDeviceAccessAndDiagnosisOnlyThroughAddNetOpsX(string file)
    {
        var source = File.ReadAllText(Path.Combine(ProjectFile.SourceRoot, file));
        Assert.Contains(".AddNetOpsSsh(", source, StringComparison.Ordinal);
        Assert.Contains(".AddNetOpsPlatforms(", source, StringComparison.Ordinal);
        var ownCopies = OwnConstruction().Matches(source).Select(m => m.Value).ToList();
        Assert.True(ownCopies.Count == 0, $"{file} builds its own {string.Join(", ", ownCopies)}: register it in the project's AddNetOpsX instead");
    }

    [Theory]
    [InlineData("DebugWindowSeconds", "99", "NetOps:Diagnosis:DebugWindowSeconds")]
    [InlineData("ManagementSubnet", "10.200.0.0/99", "NetOps:Diagnosis:ManagementSubnet")]
    [InlineData("JumpHostIp", "10.200.0.300", "NetOps:Diagnosis:JumpHostIp")]
    public async Task ABadDiagnosisValue_StopsTheHostAtStart_NamingTheKey(string key, string value, string named)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [DiagnosisOptions.SectionName + ":" + key] = value });
        builder.Services.AddNetOpsPlatforms(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));
        Assert.Contains(ex.Failures, f => f.Contains(named, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NetOps:Remediation:ProbeIntervalSeconds", "0")]
    [InlineData("NetOps:Remediation:ProgressIntervalSeconds", "-5")]
    [InlineData("NetOps:Remediation:RecoveryDeadlineSeconds", "0")]
    [InlineData("NetOps:Incidents:LeaseSeconds", "6000")]
    public async Task ABadHostValue_StopsTheHostAtStart_NamingTheKey(string key, string value)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [key] = value });
        NetOpsBot.Host.HostOptionsRegistration.AddNetOpsHostOptions(builder.Services, builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));
        Assert.Contains(ex.Failures, f => f.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingDeviceFiles_StopTheHostAtStart_NamingTheKey()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NetOps:LabRunDirectory"] = _dir.FullName,
            ["NetOps:InventoryPath"] = Path.Combine(_dir.FullName, "missing.json"),
        });
        builder.Services.AddNetOpsSsh(builder.Configuration);
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(CancellationToken.None));
        Assert.Contains(ex.Failures, f => f.Contains("NetOps:InventoryPath", StringComparison.Ordinal));
    }

    /// <summary>Record equality, with the port list compared by content (a record compares it by reference).</summary>
    private static void AssertSame(SshUnreachableOptions expected, SshUnreachableOptions actual)
    {
        Assert.Equal(expected.KnownServicePorts, actual.KnownServicePorts);
        Assert.Equal(expected, actual with { KnownServicePorts = expected.KnownServicePorts });
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [GeneratedRegex(@"new (DiagnosisRunner|SshDeviceAccess|SshUnreachableOptions|JsonFileCredentialProvider)\b|InventoryFile\.Load\(")]
    private static partial Regex OwnConstruction();
}
