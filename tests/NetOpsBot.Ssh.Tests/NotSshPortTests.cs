using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh.Tests;

/// <summary>What an open port's first bytes say about SSH: only a greeting that cannot start an SSH session counts against it.</summary>
public sealed class NotSshGreetingTests
{
    [Fact]
    public void TelnetNegotiation_IsNotSsh()
    {
        // IAC DO TERMINAL-TYPE, IAC DO TERMINAL-SPEED: what a telnet server sends first.
        byte[] telnet = [0xFF, 0xFD, 0x18, 0xFF, 0xFD, 0x20];

        Assert.Equal("telnet option negotiation (IAC), not an SSH banner", NotSshPorts.NotSsh(telnet));
    }

    [Fact]
    public void OtherProtocolsWholeGreetingLine_IsNotSsh()
    {
        Assert.Equal("the banner '220 sw-access-12 FTP server ready.', not an SSH banner", NotSshPorts.NotSsh("220 sw-access-12 FTP server ready.\r\n"u8));
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")]
    [InlineData("SSH-1.99-HUAWEI-1.5\r\n")]
    [InlineData("Authorized use only\r\nSSH-2.0-OpenSSH_9.2p1\r\n")] // RFC 4253 allows lines before the identification
    [InlineData("Authorized use onl")] // half a line: too little to tell
    public void SshOrUndecided_IsNotHeldAgainstThePort(string first)
    {
        Assert.Null(NotSshPorts.NotSsh(System.Text.Encoding.ASCII.GetBytes(first)));
    }

    [Fact]
    public void SeenPort_IsForgottenWhenALaterProbeSeesSomethingElse()
    {
        var seen = new NotSshPorts(TimeProvider.System);
        seen.Record("10.12.0.12", 23, "telnet option negotiation (IAC), not an SSH banner");
        Assert.StartsWith("telnet option negotiation (IAC), not an SSH banner (seen by a probe from the jump host ", seen.Find("10.12.0.12", 23), StringComparison.Ordinal);
        Assert.Null(seen.Find("10.12.0.12", 22));

        seen.Record("10.12.0.12", 23, null);

        Assert.Null(seen.Find("10.12.0.12", 23));
    }
}

/// <summary>A telnet server on a port the runbook tries SSH on: the login is refused at once, with what the port said.</summary>
public sealed class TelnetPortLabTests(TelnetOnlyVtyLab lab) : IClassFixture<TelnetOnlyVtyLab>
{
    [Fact]
    public async Task OpenCliAsync_SshToAPortThatAnsweredWithTelnetNegotiation_HandshakeFailedNamingTelnet()
    {
        await using var access = lab.Access();
        var probe = await access.ProbeAsync(lab.Device(), 23, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Equal((ProbeOutcome.Open, "telnet negotiation seen"), (probe.Outcome, probe.Detail));

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(23), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.HandshakeFailed, ex.Reason);
        Assert.StartsWith($"sw-access-12 via ssh:23: {lab.Device().ManagementAddress}:23 is not an SSH server: it answered with telnet option negotiation (IAC), not an SSH banner (seen by a probe from the jump host ", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("SSH login not attempted", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenCliAsync_SshPortAfterItsProbe_StillLogsIn()
    {
        // Port 22 greets with an SSH banner: the probe must not hold anything against it (the VTY then refuses the shell).
        await using var access = lab.Access();
        var probe = await access.ProbeAsync(lab.Device(), 22, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.StartsWith("SSH-2.0-", probe.Detail, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<DeviceAccessException>(() => access.OpenCliAsync(lab.Device(), AccessPath.Ssh(22), CancellationToken.None));

        Assert.Equal(DeviceAccessFailure.SessionRefused, ex.Reason);
    }
}

public sealed class TelnetOnlyVtyLab : LabFixture
{
    protected override string ScenarioName => "telnet-only-vty";
}
