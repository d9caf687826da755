using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class TerminalTests
{
    [Fact]
    public void Start_SshLogin_PrintsBannerAndUserPrompt()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Contains("Info: The max number of VTY users is 5, the number of current VTY users online is 1", t.All, StringComparison.Ordinal);
        Assert.Contains("The current login time is 2026-11-25 08:00:00", t.All, StringComparison.Ordinal);
        Assert.EndsWith("\r\n<sw-access-12>", t.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_SecondLogin_ShowsLastLoginFromFirst()
    {
        var lab = new Lab();
        using var first = lab.Ssh(client: "10.99.0.7");
        using var second = lab.Ssh();

        Assert.Contains("The last login time is 2026-11-25 08:00:00+00:00 from 10.99.0.7 through SSH.", second.All, StringComparison.Ordinal);
        Assert.Contains("current VTY users online is 2", second.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_Characters_AreEchoedByDevice()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Equal("dis", t.Send("dis"));
    }

    [Fact]
    public void Input_LineSplitAcrossCalls_RunsOnce()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        t.Send("displ");
        t.Send("ay cl");
        var output = t.Send("ock\r\n");

        Assert.Contains("2026-11-25 08:00:00", output, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(output, "<sw-access-12>"));
    }

    [Fact]
    public void Input_CoalescedLinesWithLfOnly_RunsEach()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var output = t.Send("system-view\nsysname core\n");

        Assert.EndsWith("[core]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_Backspace_EditsLine()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var output = t.Send("sysx\u007ftemx\b-view\r");

        Assert.Contains("\b \b", output, StringComparison.Ordinal);
        Assert.EndsWith("[sw-access-12]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_EscapeSequence_IsIgnored()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var output = t.Send("\u001b[Asys\u001b[D\r");

        Assert.EndsWith("[sw-access-12]", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_CtrlC_AbortsLineAndPrintsPrompt()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var output = t.Send("system-vi\u0003");
        var after = t.Send("\r");

        Assert.EndsWith("\r\n<sw-access-12>", output, StringComparison.Ordinal);
        Assert.Equal("\r\n<sw-access-12>", after);
    }

    [Fact]
    public void Input_CtrlZ_ReturnsToUserView()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");
        t.Run("aaa");

        var output = t.Send("\u001a");

        Assert.EndsWith("<sw-access-12>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_UnknownCommand_CaretUnderTokenAndError()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display foo");

        Assert.Equal(new string(' ', "<sw-access-12>display ".Length) + "^", lines[0]);
        Assert.Equal("Error: Unrecognized command found at '^' position.", lines[1]);
    }

    [Fact]
    public void Input_SystemCommandInUserView_IsUnrecognized()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("sysname x");

        Assert.Equal("              ^", lines[0]);
        Assert.Equal("Error: Unrecognized command found at '^' position.", lines[1]);
        Assert.Equal("<sw-access-12>", t.Prompt());
    }

    [Fact]
    public void Input_RebootInSystemView_IsUnrecognized()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");

        Assert.Contains("Error: Unrecognized command found at '^' position.", t.Run("reboot"));
        Assert.Equal(PowerState.Up, lab.Access.Power);
    }

    [Fact]
    public void Input_TruncatedCommand_ReportsIncomplete()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display ip");

        Assert.Equal("Error: Incomplete command found at '^' position.", lines[1]);
    }

    [Fact]
    public void Input_AmbiguousPrefix_ReportsAmbiguous()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        Assert.Equal("Error: Ambiguous command found at '^' position.", t.Run("s")[1]);
    }

    [Fact]
    public void Input_ExtraParameter_ReportsTooMany()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display version now");

        Assert.Equal(new string(' ', "<sw-access-12>display version ".Length) + "^", lines[0]);
        Assert.Equal("Error: Too many parameters found at '^' position.", lines[1]);
    }

    [Fact]
    public void Input_LineLongerThan510_IsRejected()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var lines = t.Run("display version " + new string('x', 500));

        Assert.Equal(["Error: The command is too long."], lines);
    }

    [Fact]
    public void Input_AbbreviatedCommands_AreAccepted()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("screen-length 0 temporary");

        Assert.Contains("sysname sw-access-12", t.Run("dis cur"));
        Assert.Contains("Route Flags: R - relay, D - download to fib", t.Run("disp ip rou"));
        Assert.Equal("Enter system view, return user view with Ctrl+Z.", t.Run("sys")[0]);
        t.Run("q");
        Assert.Equal("<sw-access-12>", t.Prompt());
    }

    [Fact]
    public void Quit_InUserView_ClosesSession()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        t.Send("quit\r");

        Assert.True(t.Session.IsClosed);
        Assert.Equal(["quit"], t.ClosedReasons);
    }

    [Fact]
    public void Views_Prompts_FollowVrpNaming()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        t.Run("system-view");
        Assert.Equal("[sw-access-12]", t.Prompt());
        t.Run("user-interface vty 0 4");
        Assert.Equal("[sw-access-12-ui-vty0-4]", t.Prompt());
        t.Run("quit");
        t.Run("aaa");
        Assert.Equal("[sw-access-12-aaa]", t.Prompt());
        t.Run("quit");
        t.Run("acl 2000");
        Assert.Equal("[sw-access-12-acl-basic-2000]", t.Prompt());
        t.Run("return");
        Assert.Equal("<sw-access-12>", t.Prompt());
    }

    [Fact]
    public void TwoSessions_ShareDeviceState()
    {
        var lab = new Lab();
        using var a = lab.Ssh();
        using var b = lab.Ssh(port: 51001);

        a.Run("system-view");
        a.Run("ip route-static 0.0.0.0 0 10.12.0.1");
        a.Run("sysname core-1");

        Assert.Contains(b.Run("display ip routing-table"), l => l.Contains("0.0.0.0/0", StringComparison.Ordinal));
        Assert.Equal("<core-1>", b.Prompt());
    }

    [Fact]
    public void Dispose_Session_RemovesItFromTcpStatus()
    {
        var lab = new Lab();
        using var observer = lab.Console();
        var t = lab.Ssh(client: "10.99.0.77", port: 50123);
        Assert.Contains(observer.Run("display tcp status"), l => l.Contains("10.99.0.77:50123", StringComparison.Ordinal));

        t.Dispose();

        Assert.DoesNotContain(observer.Run("display tcp status"), l => l.Contains("10.99.0.77:50123", StringComparison.Ordinal));
        Assert.Equal(["disposed"], t.ClosedReasons);
    }
}
