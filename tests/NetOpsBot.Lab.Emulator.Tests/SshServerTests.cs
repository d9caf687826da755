using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class SshServerTests
{
    private static Lab GhostLab() => new(access: p => p with { Ssh = new SshServerProfile { Port = 64443, StuckListenerPort = 64443 } });

    private static bool Listens(List<string> tcp, int port) =>
        tcp.Any(l => l.Contains($" 0.0.0.0:{port} ", StringComparison.Ordinal) && l.EndsWith("Listening", StringComparison.Ordinal));

    [Fact]
    public void GhostPort_SshServerPort22_ConfigChangesButListenerStaysStuck()
    {
        var lab = GhostLab();
        using var t = lab.Console();
        t.Run("system-view");

        var reply = t.Run("ssh server port 22");

        Assert.Empty(reply);
        Assert.Contains(" SSH server port                     :22", t.Run("display ssh server status"));
        var tcp = t.Run("display tcp status");
        Assert.True(Listens(tcp, 64443));
        Assert.False(Listens(tcp, 22));
        Assert.Equal(new HashSet<int> { 64443 }, lab.Access.ListeningTcpPorts);
    }

    [Fact]
    public void GhostPort_SaveAndReboot_ListenerBindsConfiguredPort22()
    {
        var lab = GhostLab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("ssh server port 22");
        t.Run("return");
        t.Send("save\r");
        t.Send("y\r");

        Lab.Reboot(t);
        Assert.Equal(PowerState.Rebooting, lab.Access.Power);
        Assert.Empty(lab.Access.ListeningTcpPorts);
        lab.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(PowerState.Up, lab.Access.Power);
        Assert.Equal(new HashSet<int> { 22 }, lab.Access.ListeningTcpPorts);
        using var after = lab.Console();
        Assert.True(Listens(after.Run("display tcp status"), 22));
    }

    [Fact]
    public void GhostPort_RebootWithoutSave_ListenerBindsSavedPort()
    {
        var lab = GhostLab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("ssh server port 22");
        t.Run("return");

        Lab.Reboot(t);
        lab.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new HashSet<int> { 64443 }, lab.Access.ListeningTcpPorts);
    }

    [Fact]
    public void SshServerPort_WithoutGhost_MovesListenerImmediately()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        var changes = 0;
        lab.Access.StateChanged += (_, _) => changes++;
        t.Run("system-view");

        t.Run("ssh server port 2222");

        Assert.Equal(new HashSet<int> { 2222 }, lab.Access.ListeningTcpPorts);
        Assert.Equal(1, changes);
        Assert.True(Listens(t.Run("display tcp status"), 2222));
    }

    [Fact]
    public void SshServerPort_UnsavedChange_IsLostAfterReboot()
    {
        var lab = new Lab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("ssh server port 2222");
        t.Run("return");

        Lab.Reboot(t);
        lab.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new HashSet<int> { 22 }, lab.Access.ListeningTcpPorts);
        using var after = lab.Console();
        after.Run("screen-length 0 temporary");
        Assert.DoesNotContain("ssh server port 2222", after.Run("display current-configuration"));
    }

    [Theory]
    [InlineData("1024")]
    [InlineData("23")]
    public void SshServerPort_ReservedPort_IsRejected(string port)
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        Assert.Equal(["Error: The port number must be 22 or range from 1025 to 65535."], t.Run("ssh server port " + port));
        Assert.Equal(new HashSet<int> { 22 }, lab.Access.ListeningTcpPorts);
    }

    [Theory]
    [InlineData("70000")]
    [InlineData("abc")]
    public void SshServerPort_InvalidNumber_IsWrongParameter(string port)
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        var lines = t.Run("ssh server port " + port);

        Assert.Equal(new string(' ', "[sw-access-12]ssh server port ".Length) + "^", lines[0]);
        Assert.Equal("Error: Wrong parameter found at '^' position.", lines[1]);
    }

    [Fact]
    public void StelnetServerEnable_AlreadyEnabled_SaysSo()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        Assert.Equal(["Info: The STelnet server is already started."], t.Run("stelnet server enable"));
    }

    [Fact]
    public void UndoStelnetServerEnable_RemovesListenerAndShowsDisable()
    {
        var lab = new Lab();
        using var t = lab.Console();
        t.Run("system-view");

        Assert.Equal(["Info: Succeeded in closing the STelnet server."], t.Run("undo stelnet server enable"));
        Assert.Empty(lab.Access.ListeningTcpPorts);
        Assert.Contains(" Stelnet server                      :Disable", t.Run("display ssh server status"));
        Assert.Equal(["Info: Succeeded in starting the STelnet server."], t.Run("stelnet server enable"));
        Assert.Equal(new HashSet<int> { 22 }, lab.Access.ListeningTcpPorts);
    }

    [Fact]
    public void TelnetServerEnable_AddsPort23Listener()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        t.Run("telnet server enable");

        Assert.Equal(new HashSet<int> { 22, 23 }, lab.Access.ListeningTcpPorts);
        Assert.Contains("telnet server enable", t.Run("display current-configuration | include telnet"));
    }

    [Fact]
    public void CompatibleEnable_ShowsVersion199AndConfigLine()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        t.Run("ssh server compatible-enable");

        Assert.Contains(" SSH version                         :1.99", t.Run("display ssh server status"));
        Assert.Equal(["ssh server compatible-enable"], t.Run("display current-configuration | include compatible"));
    }

    [Fact]
    public void SshServerSource_AnsweredY_ChangesSource()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        var question = t.Send("ssh server-source -i Vlanif10\r");
        t.Send("y\r");

        Assert.EndsWith("Warning: SSH server source configuration will take effect in the next login. Continue? [Y/N]:", question, StringComparison.Ordinal);
        Assert.Contains(" SSH server source                   :Vlanif10", t.Run("display ssh server status"));
    }

    [Fact]
    public void DisplayTcpStatus_OpenSshSession_ShowsEstablishedLine()
    {
        var lab = new Lab();
        using var t = lab.Ssh(client: "10.12.0.99", port: 50555);

        var tcp = t.Run("display tcp status");

        Assert.Contains(tcp, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^[0-9a-f]{8} \d+/\d+\s+10\.12\.0\.12:22\s+10\.12\.0\.99:50555\s+-1\s+Established$"));
    }
}
