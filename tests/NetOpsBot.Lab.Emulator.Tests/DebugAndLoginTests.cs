using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class DebugAndLoginTests
{
    private static readonly string[] Switches = ["terminal monitor", "terminal debugging", "debugging ssh server all"];
    private static readonly SshConnectionAttempt Connected = new("10.99.0.50", 50999, 22, "connected");

    private static void EnableAll(Term t)
    {
        Assert.Equal(["Info: Current terminal monitor is on."], t.Run("terminal monitor"));
        Assert.Equal(["Info: Current terminal debugging is on."], t.Run("terminal debugging"));
        Assert.Empty(t.Run("debugging ssh server all"));
    }

    [Fact]
    public void ReportSshConnectionAttempt_AllSwitchesOn_WritesTimestampedDebugLines()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        EnableAll(t);
        lab.Time.Advance(TimeSpan.FromSeconds(1.123));

        var before = t.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected);
        var debug = t.All[before..];

        Assert.StartsWith("\r\nNov 25 2026 08:00:01.123.1+00:00 sw-access-12 SSH/7/SSH_DEBUG:", debug, StringComparison.Ordinal);
        Assert.Contains("key_ex", debug.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("User authentication succeeded", debug.Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.EndsWith("\r\n<sw-access-12>", debug, StringComparison.Ordinal);
        Assert.All(debug.Split("\r\n"), l => Assert.True(l.Length <= 80));
    }

    [Fact]
    public void ReportSshConnectionAttempt_PartiallyTypedLine_IsReprinted()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        EnableAll(t);
        t.Send("disp");

        var before = t.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected);

        Assert.EndsWith("\r\n<sw-access-12>disp", t.All[before..], StringComparison.Ordinal);
        Assert.Contains("Huawei Versatile Routing Platform Software", t.Run("lay version"));
    }

    [Fact]
    public void ReportSshConnectionAttempt_KexFailedWithoutKey_MentionsNoRsaKey()
    {
        var lab = new Lab(access: p => p with { RsaKeyPresent = false });
        using var t = lab.Ssh();
        EnableAll(t);

        var before = t.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected with { Outcome = "kex-failed" });

        Assert.Contains("No rsa key", t.All[before..].Replace("\r\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("terminal monitor")]
    [InlineData("terminal debugging")]
    [InlineData("debugging ssh server all")]
    public void ReportSshConnectionAttempt_OneSwitchMissing_WritesNothing(string skipped)
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        foreach (var c in Switches.Where(c => c != skipped))
        {
            t.Run(c);
        }

        var before = t.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected);

        Assert.Equal(before, t.All.Length);
    }

    [Fact]
    public void DebuggingOn_NoAttemptReported_WritesNothing()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        EnableAll(t);
        var before = t.All.Length;

        lab.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(before, t.All.Length);
    }

    [Fact]
    public void UndoDebuggingAll_StopsDebugOutput()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        using var other = lab.Ssh(port: 51001);
        EnableAll(t);
        EnableAll(other);

        Assert.Equal(["Info: All possible debugging has been turned off"], t.Run("undo debugging all"));
        var before = t.All.Length;
        var otherBefore = other.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected);

        Assert.Equal(before, t.All.Length);
        Assert.True(other.All.Length > otherBefore);
    }

    [Fact]
    public void DebuggingSshServerAll_InSystemView_IsAccepted()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("terminal monitor");
        t.Run("terminal debugging");
        t.Run("system-view");
        t.Run("debugging ssh server all");

        var before = t.All.Length;
        lab.Access.ReportSshConnectionAttempt(Connected with { Outcome = "closed" });

        Assert.EndsWith("\r\n[sw-access-12]", t.All[before..], StringComparison.Ordinal);
    }

    [Fact]
    public void UndoTerminalMonitor_PrintsOff()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Equal(["Info: Current terminal monitor is off."], t.Run("undo terminal monitor"));
        Assert.Equal(["Info: Current terminal debugging is off."], t.Run("undo terminal debugging"));
    }

    [Fact]
    public void OpenSession_VtyTelnetOnly_RefusesSshButNotConsole()
    {
        var lab = new Lab(access: p => p with { Vty = new VtyProfile { ProtocolInbound = "telnet" } });

        using var ssh = lab.Ssh();
        using var console = lab.Console();

        Assert.True(ssh.Session.IsClosed);
        Assert.Equal(["refused-protocol"], ssh.ClosedReasons);
        Assert.Contains("does not support the SSH protocol", ssh.All, StringComparison.Ordinal);
        Assert.False(console.Session.IsClosed);
        Assert.EndsWith("<sw-access-12>", console.All, StringComparison.Ordinal);
    }

    [Fact]
    public void ProtocolInbound_ChangedToTelnet_RefusesNextSshLogin()
    {
        var lab = new Lab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("user-interface vty 0 4");

        t.Run("protocol inbound telnet");

        using var ssh = lab.Ssh();
        Assert.True(ssh.Session.IsClosed);
        t.Run("protocol inbound all");
        using var again = lab.Ssh(port: 51002);
        Assert.False(again.Session.IsClosed);
    }

    [Fact]
    public void OpenSession_AclDeniesSource_ClosesSilently()
    {
        var lab = new Lab(access: p => p with
        {
            Vty = new VtyProfile { AclInbound = 2000 },
            Acls = [new AclProfile(2000, [new AclRuleProfile(5, "permit", "10.12.0.0", "0.0.0.255")])],
        });

        using var denied = lab.Ssh(client: "10.99.0.50");
        using var permitted = lab.Ssh(client: "10.12.0.77");

        Assert.Equal(["refused-acl"], denied.ClosedReasons);
        Assert.Empty(denied.All);
        Assert.False(permitted.Session.IsClosed);
    }

    [Fact]
    public void AclConfiguredInSession_DeniesNextLogin()
    {
        var lab = new Lab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("acl 2001");
        t.Run("rule deny source 10.99.0.0 0.0.0.255");
        t.Run("rule permit");
        t.Run("quit");
        t.Run("user-interface vty 0 4");
        t.Run("acl 2001 inbound");

        using var denied = lab.Ssh(client: "10.99.0.50");
        using var permitted = lab.Ssh(client: "10.12.0.5");

        Assert.Equal(["refused-acl"], denied.ClosedReasons);
        Assert.False(permitted.Session.IsClosed);
    }

    [Fact]
    public void OpenSession_SixthVtyUser_IsRefused()
    {
        var lab = new Lab();
        var sessions = Enumerable.Range(0, 5).Select(i => lab.Ssh(port: 50000 + i)).ToList();

        using var sixth = lab.Ssh(port: 50010);

        Assert.All(sessions, s => Assert.False(s.Session.IsClosed));
        Assert.Equal(["refused-vty-limit"], sixth.ClosedReasons);
        sessions.ForEach(s => s.Dispose());
    }
}
