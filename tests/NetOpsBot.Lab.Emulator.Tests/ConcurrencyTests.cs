using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void ReportSshConnectionAttempt_PortNotListening_WritesNothing()
    {
        var lab = new Lab(access: p => p with { Ssh = new SshServerProfile { StuckListenerPort = 64443 } });
        using var t = lab.Console();
        t.Run("terminal monitor");
        t.Run("terminal debugging");
        t.Run("debugging ssh server all");
        var before = t.All.Length;

        lab.Access.ReportSshConnectionAttempt(new SshConnectionAttempt("10.99.0.50", 50000, 22, "closed"));
        Assert.Equal(before, t.All.Length);

        lab.Access.ReportSshConnectionAttempt(new SshConnectionAttempt("10.99.0.50", 50000, 64443, "closed"));
        Assert.True(t.All.Length > before);
    }

    [Fact]
    public void Question_CtrlC_AbortsWithoutChange()
    {
        var lab = new Lab();
        using var t = lab.Ssh();
        t.Run("system-view");
        var before = lab.Access.RsaPublicKeyFingerprint;

        t.Send("rsa local-key-pair destroy\r");
        var abort = t.Send("\u0003");

        Assert.EndsWith("[sw-access-12]", abort, StringComparison.Ordinal);
        Assert.Equal(before, lab.Access.RsaPublicKeyFingerprint);
        Assert.Equal("\r\n[sw-access-12]", t.Send("\r"));
    }

    [Fact]
    public async Task Sessions_DrivenConcurrently_StayConsistentAndOrdered()
    {
        var lab = new Lab();
        var terms = Enumerable.Range(0, 4).Select(i => lab.Ssh(port: 40000 + i)).ToList();
        foreach (var t in terms)
        {
            t.Run("screen-length 0 temporary");
            t.Run("terminal monitor");
            t.Run("terminal debugging");
            t.Run("debugging ssh server all");
        }

        var workers = terms.Select((t, n) => Task.Run(() =>
        {
            t.Run("system-view");
            for (var i = 0; i < 50; i++)
            {
                t.Run($"ip route-static 172.{16 + n}.{i}.0 24 10.12.0.1");
                t.Run("display ip routing-table");
            }
        })).ToList();
        workers.Add(Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                lab.Access.ReportSshConnectionAttempt(new SshConnectionAttempt("10.99.0.50", 30000 + i, 22, "connected"));
            }
        }));
        await Task.WhenAll(workers);

        using var check = lab.Console();
        check.Run("screen-length 0 temporary");
        var routes = check.Run("display ip routing-table");
        Assert.Equal(200, routes.Count(l => l.Contains("Static", StringComparison.Ordinal)));
        foreach (var t in terms)
        {
            Assert.EndsWith("[sw-access-12]", t.All, StringComparison.Ordinal);
            Assert.Equal(100 * 6, System.Text.RegularExpressions.Regex.Count(t.All, "SSH/7/SSH_DEBUG:"));
            t.Dispose();
        }
    }
}
