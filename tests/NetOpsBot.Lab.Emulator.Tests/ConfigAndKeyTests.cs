using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab.Emulator.Tests;

public sealed class ConfigAndKeyTests
{
    private static Term Open(Lab lab)
    {
        var t = lab.Ssh();
        t.Run("screen-length 0 temporary");
        return t;
    }

    [Fact]
    public void DisplayCurrentConfiguration_RendersRunningState()
    {
        var lab = new Lab(access: p => p with
        {
            StaticRoutes = [new("0.0.0.0", 0, "10.12.0.1")],
            Vty = new VtyProfile { AclInbound = 2000, ProtocolInbound = "all" },
            Acls = [new AclProfile(2000, [new AclRuleProfile(5, "permit", "10.99.0.0", "0.0.0.255"), new AclRuleProfile(10, "deny", null, null)])],
            Ssh = new SshServerProfile { Port = 2222 },
            TelnetServerEnabled = true,
        });
        using var t = Open(lab);

        var cfg = t.Run("display current-configuration");

        Assert.Equal("!Software Version V200R019C10SPC500", cfg[0]);
        Assert.Equal("return", cfg[^1]);
        string[] expectedInOrder =
        [
            "sysname sw-access-12", "vlan batch 10", "telnet server enable", "acl number 2000", " rule 5 permit source 10.99.0.0 0.0.0.255", " rule 10 deny",
            "aaa", " local-user netops privilege level 15", " local-user netops service-type ssh", "interface Vlanif10", " ip address 10.12.0.12 255.255.255.0",
            "ip route-static 0.0.0.0 0.0.0.0 10.12.0.1", "stelnet server enable", "ssh server port 2222", "ssh server-source all-interface",
            "user-interface vty 0 4", " acl 2000 inbound", " authentication-mode aaa", " protocol inbound all",
        ];
        var positions = expectedInOrder.Select(e => cfg.IndexOf(e)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public void DisplayCurrentConfiguration_DefaultPort_HasNoPortLine()
    {
        var lab = new Lab();
        using var t = Open(lab);

        Assert.DoesNotContain(t.Run("display current-configuration"), l => l.StartsWith("ssh server port", StringComparison.Ordinal));
    }

    [Fact]
    public void LocalUserPassword_IsNeverShownInClear()
    {
        var lab = new Lab();
        using var t = Open(lab);
        t.Run("system-view");
        t.Run("aaa");

        Assert.Equal(["Info: Add a new user."], t.Run("local-user ops2 password irreversible-cipher Secr3t!Pass"));
        t.Run("local-user ops2 service-type ssh terminal");
        var cfg = t.Run("display current-configuration");

        Assert.DoesNotContain(cfg, l => l.Contains("Secr3t", StringComparison.Ordinal));
        Assert.Contains(cfg, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ local-user ops2 password irreversible-cipher %\^%#\S+%\^%#$"));
        Assert.Contains(" local-user ops2 service-type ssh terminal", cfg);
    }

    [Fact]
    public void Filters_IncludeBeginExclude_Work()
    {
        var lab = new Lab();
        using var t = Open(lab);

        Assert.Equal(["sysname sw-access-12"], t.Run("display current-configuration | include ^sysname"));
        var begin = t.Run("display current-configuration | begin user-interface vty");
        Assert.Equal("user-interface vty 0 4", begin[0]);
        Assert.DoesNotContain("#", t.Run("display current-configuration | exclude ^#$"));
        Assert.Equal("Error: Unrecognized command found at '^' position.", t.Run("system-view | include x")[1]);
    }

    [Fact]
    public void AclRule_AutoNumbersInStepsOfFive()
    {
        var lab = new Lab();
        using var t = Open(lab);
        t.Run("system-view");
        t.Run("acl number 2005");
        t.Run("rule permit source 10.1.1.1 0");
        t.Run("rule deny");
        t.Run("undo rule 5");
        t.Run("rule 20 permit source any");

        var cfg = t.Run("display current-configuration | begin acl number 2005");

        Assert.Equal(["acl number 2005", " rule 10 deny", " rule 20 permit", "#"], cfg.Take(4));
    }

    [Fact]
    public void Acl_OutOfBasicRange_IsWrongParameter()
    {
        var lab = new Lab();
        using var t = Open(lab);
        t.Run("system-view");

        Assert.Equal("Error: Wrong parameter found at '^' position.", t.Run("acl 3000")[1]);
        Assert.Equal("[sw-access-12]", t.Prompt());
    }

    [Fact]
    public void DisplayRsaPublic_KeyPresent_ShowsKeyBlocks()
    {
        var lab = new Lab();
        using var t = Open(lab);

        var lines = t.Run("display rsa local-key-pair public");

        Assert.Contains("Key name    : sw-access-12_Host", lines);
        Assert.Contains("Key modulus : 2048", lines);
        Assert.Contains("3082010A", lines);
        Assert.Contains("  02820101", lines);
        Assert.Contains("---- BEGIN SSH2 PUBLIC KEY ----", lines);
        Assert.Contains(lines, l => l.StartsWith("ssh-rsa AAAAB3NzaC1yc2E", StringComparison.Ordinal));
        Assert.StartsWith("SHA256:", lab.Access.RsaPublicKeyFingerprint, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaDestroy_Confirmed_RemovesHostKey()
    {
        var lab = new Lab();
        using var t = Open(lab);
        var changes = 0;
        lab.Access.StateChanged += (_, _) => changes++;
        t.Run("system-view");

        var q = t.Send("rsa local-key-pair destroy\r");
        t.Send("y\r");

        Assert.EndsWith("Confirm to destroy these keys? [y/n]:", q, StringComparison.Ordinal);
        Assert.False(lab.Access.SshHostKeyPresent);
        Assert.Null(lab.Access.RsaPublicKeyFingerprint);
        Assert.Equal(1, changes);
        Assert.Equal(["Info: The RSA host key pair does not exist."], t.Run("display rsa local-key-pair public"));
    }

    [Fact]
    public void RsaCreate_ReplaceConfirmed_ChangesFingerprint()
    {
        var lab = new Lab();
        using var t = Open(lab);
        var before = lab.Access.RsaPublicKeyFingerprint;
        t.Run("system-view");

        var q1 = t.Send("rsa local-key-pair create\r");
        var q2 = t.Send("y\r");
        var done = t.Send("1024\r");

        Assert.Contains("The key name will be: sw-access-12_Host\r\n% RSA keys defined for sw-access-12_Host already exist.", q1, StringComparison.Ordinal);
        Assert.EndsWith("Confirm to replace them? [y/n]:", q1, StringComparison.Ordinal);
        Assert.EndsWith("Input the bits in the modulus[default = 2048]:", q2, StringComparison.Ordinal);
        Assert.Contains("Generating keys...", done, StringComparison.Ordinal);
        Assert.NotEqual(before, lab.Access.RsaPublicKeyFingerprint);
        Assert.Contains("Key modulus : 1024", t.Run("display rsa local-key-pair public"));
    }

    [Fact]
    public void RsaCreate_ReplaceDeclined_KeepsKey()
    {
        var lab = new Lab();
        using var t = Open(lab);
        var before = lab.Access.RsaPublicKeyFingerprint;
        t.Run("system-view");

        t.Send("rsa local-key-pair create\r");
        var after = t.Send("n\r");

        Assert.EndsWith("[sw-access-12]", after, StringComparison.Ordinal);
        Assert.Equal(before, lab.Access.RsaPublicKeyFingerprint);
    }

    [Fact]
    public void RsaCreate_NoKey_MakesHostKeyPresentWithDefaultBits()
    {
        var lab = new Lab(access: p => p with { RsaKeyPresent = false });
        using var t = Open(lab);
        Assert.False(lab.Access.SshHostKeyPresent);
        t.Run("system-view");

        var q = t.Send("rsa local-key-pair create\r");
        t.Send("\r");

        Assert.DoesNotContain("Confirm", q, StringComparison.Ordinal);
        Assert.True(lab.Access.SshHostKeyPresent);
        Assert.Contains("Key modulus : 2048", t.Run("display rsa local-key-pair public"));
    }

    [Fact]
    public void DisplayVersion_ShowsModelVersionAndUptime()
    {
        var lab = new Lab();
        using var t = Open(lab);
        lab.Time.Advance(TimeSpan.FromMinutes(10));

        var lines = t.Run("display version");

        Assert.Equal("VRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)", lines[1]);
        Assert.Equal("HUAWEI S5735-L48T4X-A1 Routing Switch uptime is 0 week, 0 day, 0 hour, 10 minutes", lines[3]);
    }

    [Fact]
    public void DisplayUsers_MarksCurrentSession()
    {
        var lab = new Lab();
        using var t = Open(lab);

        var lines = t.Run("display users");

        Assert.Contains(lines, l => l.StartsWith("+ 34  VTY 0", StringComparison.Ordinal) && l.Contains("SSH", StringComparison.Ordinal));
        Assert.Contains("  Username : netops", lines);
    }
}
