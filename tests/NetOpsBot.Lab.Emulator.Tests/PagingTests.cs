using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class PagingTests
{
    private const string More = "  ---- More ----";
    private static readonly string Erase = "\u001b[42D" + new string(' ', 42) + "\u001b[42D";

    [Fact]
    public void Display_LongOutput_StopsAtMoreAfter24Lines()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var output = t.Send("display current-configuration\r");

        Assert.EndsWith(More, output, StringComparison.Ordinal);
        Assert.Equal(1 + 24 + 1, output.Split("\r\n").Length);
    }

    [Fact]
    public void Paging_Space_ShowsNextPageAfterEraseSequence()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Send("display current-configuration\r");

        var next = t.Send(" ");

        Assert.StartsWith(Erase, next, StringComparison.Ordinal);
        Assert.True(next.EndsWith(More, StringComparison.Ordinal) || next.EndsWith("<sw-access-12>", StringComparison.Ordinal));
    }

    [Fact]
    public void Paging_Enter_ShowsOneLine()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Send("display current-configuration\r");

        var next = t.Send("\r");

        Assert.StartsWith(Erase, next, StringComparison.Ordinal);
        Assert.EndsWith(More, next, StringComparison.Ordinal);
        Assert.Equal(2, next.Split("\r\n").Length);
    }

    [Fact]
    public void Paging_SpaceUntilEnd_EndsWithReturnAndPrompt()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        var all = t.Send("display current-configuration\r");
        for (var i = 0; i < 10 && !all.EndsWith("<sw-access-12>", StringComparison.Ordinal); i++)
        {
            all += t.Send(" ");
        }

        Assert.EndsWith("return\r\n<sw-access-12>", all, StringComparison.Ordinal);
    }

    [Fact]
    public void Paging_CtrlC_StopsOutputAndKeepsState()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Send("display current-configuration\r");

        var stop = t.Send("\u0003");
        var after = t.Run("display ssh server status");

        Assert.Equal(Erase + "<sw-access-12>", stop);
        Assert.Contains(" Stelnet server                      :Enable", after);
        Assert.Equal(PowerState.Up, lab.Access.Power);
    }

    [Fact]
    public void Paging_Q_StopsOutput()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Send("display current-configuration\r");

        Assert.Equal(Erase + "<sw-access-12>", t.Send("q"));
    }

    [Fact]
    public void ScreenLengthZeroTemporary_DisablesPaging()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        var info = t.Run("screen-length 0 temporary");
        var output = t.Send("display current-configuration\r");

        Assert.Equal(["Info: The configuration takes effect on the current user terminal interface only."], info);
        Assert.DoesNotContain("---- More ----", output, StringComparison.Ordinal);
        Assert.EndsWith("return\r\n<sw-access-12>", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ScreenLengthTemporary_AppliesToThisSessionOnly()
    {
        var lab = new Lab();
        using var a = lab.Ssh();
        using var b = lab.Ssh(port: 51001);
        a.Run("screen-length 0 temporary");

        Assert.EndsWith(More, b.Send("display current-configuration\r"), StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_MidPaging_DeviceStaysConsistent()
    {
        var lab = new Lab();
        var t = lab.Ssh();
        t.Send("system-view\r");
        t.Send("ssh server port 2222\r");
        t.Send("display current-configuration\r");

        t.Dispose();

        using var other = lab.Ssh(port: 51009);
        other.Run("screen-length 0 temporary");
        Assert.Contains("ssh server port 2222", other.Run("display current-configuration"));
        Assert.Equal(new HashSet<int> { 2222 }, lab.Access.ListeningTcpPorts);
        Assert.True(t.Session.IsClosed);
    }
}
