using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class RebootTests
{
    [Fact]
    public void Reboot_Confirmed_ClosesAllSessionsAndRaisesStateChanged()
    {
        var lab = new Lab();
        using var a = lab.Ssh();
        using var b = lab.Ssh(port: 51001);
        var changes = 0;
        lab.Access.StateChanged += (_, _) => changes++;

        var q = a.Send("reboot\r");
        a.Send("y\r");

        Assert.Contains("Info: The system is now comparing the configuration, please wait.", q, StringComparison.Ordinal);
        Assert.EndsWith("System will reboot! Continue?[Y/N]:", q, StringComparison.Ordinal);
        Assert.Equal(["reboot"], a.ClosedReasons);
        Assert.Equal(["reboot"], b.ClosedReasons);
        Assert.True(b.Session.IsClosed);
        Assert.Equal(PowerState.Rebooting, lab.Access.Power);
        Assert.Equal(1, changes);

        lab.Time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(PowerState.Rebooting, lab.Access.Power);
        lab.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PowerState.Up, lab.Access.Power);
        Assert.Equal(2, changes);
    }

    [Fact]
    public void Reboot_AnsweredN_LeavesStateUnchanged()
    {
        var lab = new Lab();
        using var t = lab.Ssh();

        t.Send("reboot\r");
        var after = t.Send("n\r");

        Assert.EndsWith("<sw-access-12>", after, StringComparison.Ordinal);
        Assert.False(t.Session.IsClosed);
        Assert.Equal(PowerState.Up, lab.Access.Power);
    }

    [Fact]
    public void Reboot_ModifiedConfig_AsksToSaveFirstAndSavesOnY()
    {
        var lab = new Lab();
        using var t = lab.Console();
        t.Run("system-view");
        t.Run("ip route-static 0.0.0.0 0 10.12.0.1");
        t.Run("return");

        var first = t.Send("reboot\r");
        var second = t.Send("y\r");
        t.Send("y\r");
        lab.Time.Advance(TimeSpan.FromSeconds(5));

        Assert.EndsWith("Warning: The configuration has been modified, and it will be saved to the next startup saved-configuration file flash:/vrpcfg.zip. Continue? [Y/N]:", first, StringComparison.Ordinal);
        Assert.Contains("Info: Save the configuration successfully.", second, StringComparison.Ordinal);
        Assert.True(lab.Access.HasRouteTo(Lab.ManagementClient));
    }

    [Fact]
    public void Reboot_InvalidAnswer_RepeatsQuestion()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Send("reboot\r");

        Assert.Equal("maybe\r\nSystem will reboot! Continue?[Y/N]:", t.Send("maybe\r"));
        Assert.Equal(PowerState.Up, lab.Access.Power);
    }

    [Fact]
    public void OpenSession_WhileRebooting_ClosesWithoutPrompt()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        Lab.Reboot(t);

        using var late = lab.Ssh(port: 52000);

        Assert.True(late.Session.IsClosed);
        Assert.Equal(["device-not-up"], late.ClosedReasons);
        Assert.Empty(late.All);
    }

    [Fact]
    public void PowerOff_ClosesSessionsAndClearsListenersAndArp()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        using var gw = lab.Console(lab.Gateway);
        Assert.Contains(gw.Run("display arp"), l => l.StartsWith("10.12.0.12 ", StringComparison.Ordinal));

        lab.Access.PowerOff();

        Assert.Equal(["power-off"], t.ClosedReasons);
        Assert.Equal(PowerState.Off, lab.Access.Power);
        Assert.Empty(lab.Access.ListeningTcpPorts);
        Assert.DoesNotContain(gw.Run("display arp"), l => l.StartsWith("10.12.0.12 ", StringComparison.Ordinal));
        Assert.False(lab.Access.HasRouteTo("10.12.0.1"));
    }

    [Fact]
    public void PowerOn_AfterOff_BootsAfterBootTime()
    {
        var lab = new Lab(access: p => p with { PoweredOn = false, BootTime = TimeSpan.FromSeconds(30) });
        Assert.Equal(PowerState.Off, lab.Access.Power);

        lab.Access.PowerOn();
        Assert.Equal(PowerState.Rebooting, lab.Access.Power);
        lab.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(PowerState.Up, lab.Access.Power);
        Assert.Equal(new HashSet<int> { 22 }, lab.Access.ListeningTcpPorts);
    }

    [Fact]
    public void Save_AnsweredY_WritesRunningToSaved()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("screen-length 0 temporary");
        t.Run("system-view");
        t.Run("sysname edge-7");

        var question = t.Send("save\r");
        var reply = t.Send("y\r");

        Assert.EndsWith("Warning: The current configuration will be written to the device. Continue? [Y/N]:", question, StringComparison.Ordinal);
        Assert.Contains("Now saving the current configuration to the slot 0.\r\nInfo: Save the configuration successfully.\r\n[edge-7]", reply, StringComparison.Ordinal);
        Assert.Contains("sysname edge-7", t.Run("display saved-configuration"));
    }

    [Fact]
    public void Save_AnsweredN_KeepsSavedConfig()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("screen-length 0 temporary");
        t.Run("system-view");
        t.Run("sysname edge-7");

        t.Send("save\r");
        t.Send("n\r");

        Assert.Contains("sysname sw-access-12", t.Run("display saved-configuration"));
        Assert.Contains("sysname edge-7", t.Run("display current-configuration"));
    }
}
