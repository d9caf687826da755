using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Net;
using NetOpsBot.Core.Platforms;
using NetOpsBot.IosXe.Platform;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests;

/// <summary>IOS-XE behind Core's ports: the dialect the SSH connector speaks, and the ssh-unreachable collectors.</summary>
public sealed class PlatformTests
{
    private static readonly IDeviceDialect Dialect = IosXePlatform.Instance.Dialect;

    [Theory]
    [InlineData("Building configuration...\r\ncat-access-21#", "cat-access-21", false)]
    [InlineData("\r\ncat-access-21(config-line)#", "cat-access-21", true)]
    [InlineData("\r\nsw1>", "sw1", false)]
    public void Dialect_FindsThePromptAndItsMode(string tail, string host, bool config)
    {
        var prompt = Dialect.FindPromptAtEnd(tail, null);
        Assert.NotNull(prompt);
        Assert.Equal(host, prompt.Hostname);
        Assert.Equal(config, prompt.InConfigMode);
        Assert.Equal(config ? "end\rexit\r" : "exit\r", Dialect.Logout(prompt));
    }

    [Fact]
    public void Dialect_AnswersIosQuestionsInIosWords()
    {
        var confirm = Dialect.DetectQuestionAtEnd("reload\r\nProceed with reload? [confirm]");
        Assert.Equal(DialectQuestionKind.Confirm, confirm?.Kind);
        Assert.Equal(string.Empty, Dialect.Reply(confirm!, yes: true));
        Assert.Equal("n", Dialect.Reply(confirm!, yes: false));

        var save = Dialect.DetectQuestionAtEnd("System configuration has been modified. Save? [yes/no]: ");
        Assert.Equal(DialectQuestionKind.Decision, save?.Kind);
        Assert.Equal("no", Dialect.Reply(save!, yes: false));
        Assert.Equal("yes", Dialect.Reply(save!, yes: true));

        Assert.Equal(DialectQuestionKind.Value, Dialect.DetectQuestionAtEnd("Destination filename [startup-config]? ")?.Kind);
        Assert.True(Dialect.EndsWithPager("line 24\r\n --More-- "));
        Assert.Equal("terminal length 0", Dialect.DisablePagingCommand);
    }

    [Fact]
    public void Dialect_ErrorLineIsTheInvalidInputMarker_NotAnInformationalPercentLine()
    {
        Assert.Contains("Invalid input", Dialect.FirstErrorLine("display ip routing-table\n        ^\n% Invalid input detected at '^' marker."), StringComparison.Ordinal);
        Assert.Null(Dialect.FirstErrorLine("% Network not in table"));
    }

    [Fact]
    public async Task Collector_NoRsaKey_IsOneFactNotTwo_AndTheFixIsCryptoKeyGenerate()
    {
        var collector = IosXePlatform.Instance.SshUnreachable!;
        var target = new SshUnreachableTarget(Device(), Ipv4Prefix.Parse("10.200.0.0/24"), System.Net.IPAddress.Parse("10.200.0.10"), 22);
        Task<CliResult> Run(string command, TimeSpan? timeout) => Task.FromResult(new CliResult(command, command switch
        {
            "show ip ssh" => "SSH Disabled - version 1.99\n%Please create RSA keys to enable SSH (and of atleast 768 bits for SSH v2).\nAuthentication timeout: 120 secs; Authentication retries: 3",
            _ => string.Empty,
        }, string.Empty, TimeSpan.Zero, null));

        var service = await collector.ServiceAsync(Run, target, CancellationToken.None);

        Assert.Equal(StepStatus.Fail, service.Status);
        Assert.False(service.Facts.RsaKeyPresent);
        Assert.Null(service.Facts.StelnetEnabled); // Not "ssh-server-disabled" as well: on IOS the key is the switch.
        var plans = collector.PlansFor(SshUnreachableCauses.RsaKeyMissing, service.Facts, target, 1);
        Assert.Contains(plans.SelectMany(p => p.Commands), c => c.Text == "crypto key generate rsa modulus 2048");
    }

    [Fact]
    public async Task Collector_NoDefaultRoute_NoRouteToTheManagementHost()
    {
        var collector = IosXePlatform.Instance.SshUnreachable!;
        var target = new SshUnreachableTarget(Device(), Ipv4Prefix.Parse("10.200.0.0/24"), System.Net.IPAddress.Parse("10.200.0.10"), 22);
        const string Routes = "Codes: L - local, C - connected, S - static\n\nGateway of last resort is not set\n\n      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks\nC        10.12.0.0/24 is directly connected, GigabitEthernet0/0\nL        10.12.0.25/32 is directly connected, GigabitEthernet0/0";
        Task<CliResult> Run(string command, TimeSpan? timeout) => Task.FromResult(new CliResult(command, Routes, Routes, TimeSpan.Zero, null));

        var routing = await collector.RoutingAsync(Run, target, CancellationToken.None);

        Assert.Equal(StepStatus.Fail, routing.Status);
        Assert.False(routing.Facts.HasRouteToManagement);
        var plans = collector.PlansFor(SshUnreachableCauses.ReturnRouteMissing, routing.Facts with { GatewayIp = "10.12.0.1" }, target, 1);
        Assert.Contains(plans.SelectMany(p => p.Commands), c => c.Text == "ip route 0.0.0.0 0.0.0.0 10.12.0.1");
    }

    private static DeviceRef Device() =>
        new(DeviceName.Parse("cat-access-25"), IosXePlatform.PlatformId, "10.12.0.25", System.Net.IPAddress.Parse("10.12.0.25"), 22, [], null, null, null, "lab");
}
