using System.Net;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.IosXe.Tests;

/// <summary>
/// Outputs no public test corpus holds (samples/SOURCES.md says which), written from Cisco's command references
/// and configuration guides: SSH disabled for lack of an RSA key, "show tcp brief all", "show control-plane host
/// open-ports", "show ip route 0.0.0.0", "debug ip ssh" under terminal monitor, and the dialect's prompts,
/// pager, questions and error lines.
/// </summary>
public sealed class DocumentedShapeTests
{
    [Fact]
    public void Documented_ShowIpSsh_DisabledWithoutRsaKey()
    {
        const string output = "SSH Disabled - version 1.99\n%Please create RSA keys to enable SSH (and of atleast 768 bits for SSH v2).\nAuthentication methods:publickey,keyboard-interactive,password\nAuthentication timeout: 120 secs; Authentication retries: 3\nMinimum expected Diffie Hellman key size : 2048 bits\nIOS Keys in SECSH format(ssh-rsa, base64 encoded): NONE\n";
        var r = ShowIpSshParser.Parse(output);

        Assert.True(r.IsParsed, r.Reason);
        Assert.False(r.Value!.Enabled);
        Assert.True(r.Value.RsaKeyMissing);
        Assert.Equal("1.99", r.Value.Version);
        Assert.Null(r.Value.RsaKeyName);
        Assert.False(IosXeFactReader.RsaKeyPresent(r));
        Assert.False(IosXeFactReader.SshEnabled(r));
    }

    [Fact]
    public void ShowIpSsh_NotSshOutput_IsUnparsedNotDisabled()
    {
        var r = ShowIpSshParser.Parse("% Invalid input detected at '^' marker.\n");

        Assert.False(r.IsParsed);
        Assert.Null(IosXeFactReader.SshEnabled(r)); // unknown, never "disabled"
    }

    [Fact]
    public void Documented_ShowTcpBriefAll_ListenerOnGhostPortOnly()
    {
        const string output = "sw1#show tcp brief all\nTCB       Local Address               Foreign Address             (state)\n7F3A1C2B4D18  0.0.0.0.64443            *.*                         LISTEN\n7F3A1C2B5E20  10.0.0.12.64443          10.0.0.5.51514              ESTAB\n7F3A1C2B6F28  *.179                    *.*                         LISTEN\nsw1#";
        var r = TcpListenersParser.ParseTcpBrief(output);

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        Assert.Equal([179, 64443], r.Value!.ListeningPorts);
        Assert.DoesNotContain(22, r.Value.ListeningPorts);
    }

    [Fact]
    public void Documented_ShowControlPlaneHostOpenPorts()
    {
        const string output = "Active internet connections (servers and established)\nProt        Local Address      Foreign Address                  Service    State\n tcp                 *:22                  *:0               SSH-Server   LISTEN\n tcp                 *:23                  *:0                   Telnet   LISTEN\n tcp              *:4786                  *:0               SMI IBC server process   LISTEN\n udp                 *:67                  *:0            DHCPD Receive   LISTEN\n";
        var r = TcpListenersParser.ParseOpenPorts(output);

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        Assert.Equal([22, 23, 4786], r.Value!.ListeningTcpPorts);
        Assert.Equal("SMI IBC server process", r.Value.Ports[2].Service);
        Assert.Equal([22, 23, 4786], IosXeFactReader.ListeningPorts(null, r));
    }

    [Fact]
    public void Documented_ShowIpRouteDefault_EntryAndNotInTable()
    {
        const string found = "Routing entry for 0.0.0.0/0, supernet\n  Known via \"static\", distance 1, metric 0, candidate default path\n  Routing Descriptor Blocks:\n  * 10.0.0.1\n      Route metric is 0, traffic share count is 1\n";
        var r = ShowIpRouteEntryParser.Parse(found);

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        Assert.True(r.Value!.IsDefault);
        Assert.Equal(("static", 1, true), (r.Value.KnownVia, r.Value.Distance!.Value, r.Value.CandidateDefault));
        Assert.Equal(["10.0.0.1"], r.Value.NextHops);

        var missing = ShowIpRouteEntryParser.Parse("sw1#show ip route 0.0.0.0\n% Network not in table\nsw1#");
        Assert.True(missing.IsParsed);
        Assert.False(missing.Value!.Found);
        Assert.False(missing.Value.IsDefault);
    }

    [Fact]
    public void Documented_ShowIpRoute_NoGatewayOfLastResort()
    {
        const string output = "Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP\n       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP\n\nGateway of last resort is not set\n\n      10.0.0.0/8 is variably subnetted, 2 subnets, 2 masks\nC        10.0.0.0/24 is directly connected, GigabitEthernet0/0\nL        10.0.0.12/32 is directly connected, GigabitEthernet0/0\n";
        var t = ShowIpRouteParser.Parse(output);

        Assert.True(t.IsParsed, t.Reason);
        Assert.Empty(t.Warnings);
        Assert.Null(t.Value!.GatewayOfLastResort);
        Assert.False(t.Value.HasDefaultRoute);
        Assert.False(IosXeFactReader.HasRouteTo(t, IPAddress.Parse("192.168.50.10")));
        Assert.True(IosXeFactReader.HasRouteTo(t, IPAddress.Parse("10.0.0.5")));
    }

    [Fact]
    public void ShowIpRoute_SubnetCountMismatch_IsAWarning()
    {
        const string output = "Gateway of last resort is not set\n\n      10.0.0.0/8 is variably subnetted, 3 subnets, 2 masks\nC        10.0.0.0/24 is directly connected, GigabitEthernet0/0\nL        10.0.0.12/32 is directly connected, GigabitEthernet0/0\n";
        var t = ShowIpRouteParser.Parse(output);

        Assert.True(t.IsParsed);
        Assert.Contains(t.Warnings, w => w.Contains("3 subnets, 2 routes", StringComparison.Ordinal));
    }

    [Fact]
    public void Ping_ProbeLineDisagreesWithSummary_IsAWarning()
    {
        var r = PingParser.Parse(Samples.Read("ntc_cisco_ios_ping.raw").Replace("!!!!!", "!!!..", StringComparison.Ordinal));

        Assert.True(r.IsParsed);
        Assert.Contains(r.Warnings, w => w.Contains("does not match the summary 5/5", StringComparison.Ordinal));
    }

    [Fact]
    public void Documented_DebugIpSsh_CountsSshLinesOnly()
    {
        const string capture = "sw1#\n*Dec  6 01:02:03.451: SSH0: starting SSH control process\n*Dec  6 01:02:03.452: SSH0: sent protocol version id SSH-2.0-Cisco-1.25\n*Dec  6 01:02:03.610: SSH0: protocol version id is - SSH-2.0-OpenSSH_9.2p1 Debian-2\n*Dec  6 01:02:03.611: SSH2 0: SSH2_MSG_KEXINIT sent\n*Dec  6 01:02:04.020: %SSH-5-SSH2_SESSION: SSH2 Session request from 10.0.0.5 (tty = 0) using crypto cipher 'aes256-gcm', hmac 'hmac-sha2-256' Succeeded\n*Dec  6 01:02:05.100: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.0.0.5)\n";
        var r = SshDebugLogParser.Parse(capture);

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        Assert.Equal(6, r.Value!.Entries.Count);
        Assert.Equal(5, r.Value.SshCount);
        Assert.Equal(("SSH", 5, "SSH2_SESSION"), (r.Value.Entries[4].Facility, r.Value.Entries[4].Severity!.Value, r.Value.Entries[4].Mnemonic!));
        Assert.Equal(0, SshDebugLogParser.CountSshDebugLines("sw1#\nsw1#"));
    }

    [Theory]
    [InlineData("sw-access-12>", IosXeMode.UserExec, null)]
    [InlineData("sw-access-12#", IosXeMode.PrivilegedExec, null)]
    [InlineData("sw-access-12(config)#", IosXeMode.GlobalConfig, "config")]
    [InlineData("sw-access-12(config-line)#", IosXeMode.LineConfig, "config-line")]
    [InlineData("sw-access-12(config-if)# ", IosXeMode.InterfaceConfig, "config-if")]
    [InlineData("sw-access-12(config-std-nacl)#", IosXeMode.OtherConfig, "config-std-nacl")]
    public void Prompt_Modes(string line, IosXeMode mode, string? configMode)
    {
        Assert.True(IosXePrompt.TryParse(line, out var p));
        Assert.Equal((mode, "sw-access-12", configMode), (p!.Mode, p.Hostname, p.ConfigMode));
    }

    [Theory]
    [InlineData("sw1(config)>")]
    [InlineData("<sw1>")]
    [InlineData("Success rate is 100 percent (5/5)")]
    [InlineData("  line vty 0 4")]
    public void Prompt_NotAPrompt(string line) => Assert.False(IosXePrompt.TryParse(line, out _));

    [Fact]
    public void Prompt_KnownHostname_RejectsOtherHosts()
    {
        Assert.False(IosXePrompt.TryParse("Router#", out _, knownHostname: "sw1"));
        Assert.NotNull(IosXePrompt.FindAtEnd("output\r\nsw1#", knownHostname: "sw1"));
        Assert.Null(IosXePrompt.FindAtEnd("sw1#\r\nmore output", knownHostname: "sw1"));
    }

    [Fact]
    public void Pager_MoreMarkerAndEraseRemoved()
    {
        const string paged = "line one\r\nline two\r\n --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bline three\r\n";

        Assert.True(IosXePaging.EndsWithMore("line one\r\n --More-- "));
        Assert.False(IosXePaging.EndsWithMore("line one\r\nsw1#"));
        Assert.Equal("line one\r\nline two\r\nline three\r\n", IosXePaging.Strip(paged));
    }

    [Fact]
    public void Cleaner_EchoPromptAndLogLinesSeparated()
    {
        const string raw = "sw1#show ip ssh\r\nSSH Enabled - version 2.0\r\n*Dec  6 01:02:03.451: %SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: a] [Source: 10.0.0.5]\r\nAuthentication timeout: 120 secs; Authentication retries: 3\r\nsw1#";
        var c = IosXeOutputCleaner.Clean(raw, "show ip ssh", "sw1");

        Assert.Equal("show ip ssh", c.EchoedCommand);
        Assert.Equal(["SSH Enabled - version 2.0", "Authentication timeout: 120 secs; Authentication retries: 3"], c.Lines);
        Assert.Single(c.AsyncLogLines);
        Assert.Equal(IosXeMode.PrivilegedExec, c.Prompt!.Mode);
    }

    [Theory]
    [InlineData("Proceed with reload? [confirm]", IosXeQuestionKind.Confirm, null)]
    [InlineData("System configuration has been modified. Save? [yes/no]: ", IosXeQuestionKind.YesNo, null)]
    [InlineData("% You already have RSA keys defined named sw1.lab.local.\r\n% Do you really want to replace them? [yes/no]: ", IosXeQuestionKind.YesNo, null)]
    [InlineData("How many bits in the modulus [1024]: ", IosXeQuestionKind.Number, "1024")]
    [InlineData("Destination filename [startup-config]? ", IosXeQuestionKind.Filename, "startup-config")]
    [InlineData("Password: ", IosXeQuestionKind.Password, null)]
    public void Questions_Detected(string buffer, IosXeQuestionKind kind, string? def)
    {
        var q = IosXeConfirmation.DetectAtEnd(buffer);

        Assert.NotNull(q);
        Assert.Equal((kind, def), (q!.Kind, q.Default));
    }

    [Fact]
    public void Questions_AnsweredQuestionIsNotAQuestion() =>
        Assert.Null(IosXeConfirmation.DetectAtEnd("Proceed with reload? [confirm]\r\n\r\nsw1#"));

    [Fact]
    public void Errors_InvalidInputWithCaretColumn()
    {
        const string text = "sw1#show ip shh\r\n            ^\r\n% Invalid input detected at '^' marker.\r\n\r\nsw1#";
        var e = IosXeErrors.FirstError(text);

        Assert.NotNull(e);
        Assert.Equal(IosXeMessageKind.InvalidInput, e!.Kind);
        Assert.Equal(12, e.CaretColumn);
    }

    [Theory]
    [InlineData("% Incomplete command.", IosXeMessageKind.Incomplete)]
    [InlineData("% Ambiguous command:  \"sh i\"", IosXeMessageKind.Ambiguous)]
    [InlineData("% Unknown command or computer name, or unable to find computer address", IosXeMessageKind.UnknownCommand)]
    [InlineData("% Bad IP address or host name", IosXeMessageKind.OtherError)]
    public void Errors_Kinds(string line, IosXeMessageKind kind)
    {
        Assert.Equal(kind, IosXeErrors.FirstError("sw1#x\r\n" + line + "\r\nsw1#")!.Kind);
    }

    [Fact]
    public void Errors_InformationalPercentLinesAreNotErrors()
    {
        Assert.False(IosXeErrors.HasError(Samples.Read("genie_show_crypto_key_mypubkey_rsa.txt")));
        Assert.False(IosXeErrors.HasError("% Network not in table"));
    }

    [Theory]
    [InlineData("sh ip ssh", "ip-ssh")]
    [InlineData("show ip route", "ip-route")]
    [InlineData("sh ip ro 0.0.0.0", "ip-route-entry")]
    [InlineData("show arp | include 10.0.0.12", "arp")]
    [InlineData("show ip arp 10.0.0.12", "arp")]
    [InlineData("ping 10.0.0.12 source Vlan10", "ping")]
    [InlineData("show tcp brief all", "tcp-brief")]
    [InlineData("show control-plane host open-ports", "open-ports")]
    [InlineData("show running-config | section line vty", "running-config")]
    [InlineData("show crypto key mypubkey rsa", "crypto-key")]
    [InlineData("show version", "version")]
    public void ParserFor_Command(string command, string parser) => Assert.Equal(parser, IosXeParsers.ParserFor(command));

    [Theory]
    [InlineData("show ip route 10.0.0.0")]
    [InlineData("reload")]
    [InlineData("s ip ssh")]
    public void ParserFor_UnknownCommand(string command) => Assert.Null(IosXeParsers.ParserFor(command));

    [Fact]
    public void Parsers_NeverThrowOnGarbage()
    {
        var garbage = new[] { "\0\u001b[2J\b\b", new string('%', 10_000), "Routing entry for 999.1.1.1/99", "Key name: x\nKey Data:\n  30820122 ZZ" };
        foreach (var g in garbage)
        {
            foreach (var name in new[] { "show ip ssh", "show ip route", "show ip route 0.0.0.0", "show arp", "ping 1.1.1.1", "show tcp brief all", "show control-plane host open-ports", "show crypto key mypubkey rsa", "show running-config", "show version" })
            {
                var r = IosXeParsers.ParseCommand(name, g);
                Assert.NotNull(r.Parser);
            }
        }
    }

    [Fact]
    public void VtyAccessClass_DenyingManagement_IsAFact()
    {
        const string config = "hostname sw1\n!\naccess-list 10 permit 192.168.99.0 0.0.0.255\naccess-list 10 deny   any log\n!\nline vty 0 4\n access-class 10 in\n transport input ssh\nline vty 5 15\n access-class 10 in\n transport input ssh\n!\nend\n";
        var parsed = RunningConfigParser.Parse(config);
        var facts = IosXeFactReader.Vty(parsed, IPAddress.Parse("10.0.0.5"));

        Assert.True(facts.AclDeniesManagement);
        Assert.Equal("10", facts.DenyingAcl!.AclName);
        Assert.Equal("deny   any log", facts.DenyingAcl.DecidingEntry!.Text);
        Assert.Equal("ssh", facts.VtyProtocol);
        Assert.False(facts.TelnetServerEnabled);

        var allowed = IosXeFactReader.Vty(parsed, IPAddress.Parse("192.168.99.7"));
        Assert.False(allowed.AclDeniesManagement);
    }

    [Fact]
    public void VtyAccessClass_OneBlockWithoutAcl_DoesNotDeny()
    {
        const string config = "access-list 10 deny any\nline vty 0 4\n access-class 10 in\nline vty 5 15\n transport input ssh\n";
        var facts = IosXeFactReader.Vty(RunningConfigParser.Parse(config), IPAddress.Parse("10.0.0.5"));

        Assert.False(facts.AclDeniesManagement);
    }

    [Fact]
    public void RunningConfig_UnreadableAclEntry_IsAWarning()
    {
        var r = RunningConfigParser.Parse("ip access-list standard MGMT\n 10 permit 10.0.0.0 0.0.0.255\n 20 permit object-group ADMINS\n");

        Assert.True(r.IsParsed);
        Assert.Single(r.Value!.AccessList("MGMT")!.Entries);
        Assert.Contains(r.Warnings, w => w.Contains("object-group", StringComparison.Ordinal));
    }
}
