using System.Net;

namespace NetOpsBot.IosXe.Tests;

/// <summary>
/// Real IOS-XE outputs from genieparser's test data (expected values copied from the *_expected.py beside each
/// output) and a real IOS configuration from ciscoconfparse; provenance in samples/SOURCES.md.
/// </summary>
public sealed class RealSampleTests
{
    [Fact]
    public void ShowIpSsh_Genie_EnabledWithRsaKey()
    {
        var r = ShowIpSshParser.Parse(Samples.Read("genie_show_ip_ssh.txt"));

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        var s = r.Value!;
        Assert.True(s.Enabled);
        Assert.Equal("2.0", s.Version);
        Assert.Equal(120, s.AuthenticationTimeoutSeconds);
        Assert.Equal(3, s.AuthenticationRetries);
        Assert.Equal(2048, s.MinimumDhKeyBits);
        Assert.False(s.RsaKeyMissing);
        Assert.Equal("NETCONF_SSH_RSA_KEY", s.RsaKeyName);
        Assert.Equal(2048, s.RsaModulusBits);
        Assert.Equal(["publickey", "keyboard-interactive", "password"], s.AuthenticationMethods);
        Assert.True(IosXeFactReader.RsaKeyPresent(r));
        Assert.True(IosXeFactReader.SshEnabled(r));
    }

    [Fact]
    public void ShowTcpBriefNumeric_Genie_ListenersAndConnections()
    {
        var r = TcpListenersParser.ParseTcpBrief(Samples.Read("genie_show_tcp_brief_numeric.txt"));

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        Assert.Equal(6, r.Value!.Connections.Count);
        Assert.Equal([23, 80], r.Value.ListeningPorts);
        var ssh = r.Value.Connections.Single(c => c.LocalPort == 22);
        Assert.Equal(("81C95572", "10.1.1.1", "10.1.1.100", 32768, "ESTAB"), (ssh.Tcb, ssh.LocalAddress, ssh.ForeignAddress, ssh.ForeignPort!.Value, ssh.State));
    }

    [Fact]
    public void ShowCryptoKeyMypubkeyRsa_Genie_FourKeysWithModulusFromKeyData()
    {
        var r = CryptoKeyParser.Parse(Samples.Read("genie_show_crypto_key_mypubkey_rsa.txt"));

        Assert.True(r.IsParsed, r.Reason);
        Assert.Empty(r.Warnings);
        var keys = r.Value!.Keys;
        Assert.Equal(["TP-self-signed-1331515841", "TP-self-signed-1331515841.server", "responder", "test"], keys.Select(k => k.Name));
        Assert.Equal("16:38:25 UTC Aug 26 2021", keys[0].GeneratedAt);
        Assert.Equal("General Purpose Key", keys[0].Usage);
        Assert.Equal("Encryption Key", keys[1].Usage);
        Assert.True(keys[1].Temporary);
        Assert.Equal(2048, keys[0].ModulusBits);
        Assert.Equal(4096, keys[3].ModulusBits);
        Assert.True(r.Value.HasUsableRsaKey(2048));
    }

    [Fact]
    public void Ping_Genie_TenRepliesFromSource()
    {
        var p = PingParser.Parse(Samples.Read("genie_ping1.txt")).Value!;

        Assert.Equal(("10.229.1.1", "10.229.1.2", 10, 10, 100), (p.Destination, p.Source, p.Sent, p.Received, p.SuccessPercent));
    }

    [Fact]
    public void RunningConfig_CiscoConfParse_VtyAclsRoutesAndSsh()
    {
        var r = RunningConfigParser.Parse(Samples.Read("ciscoconfparse_sample_01.ios"));

        Assert.True(r.IsParsed, r.Reason);

        // The sample holds one entry IOS itself would not accept ("host" needs an address, not "any"): a warning, not a guess.
        Assert.Equal(["ACL EXT_IN: unrecognised entry: permit esp host any any"], r.Warnings);
        var c = r.Value!;
        Assert.Equal("Foo", c.Hostname);
        Assert.Equal("foo.com", c.DomainName);
        Assert.Equal(["ip ssh time-out 30"], c.IpSsh);
        Assert.Equal(30, c.SshTimeoutSeconds);

        var vty = Assert.Single(c.Vty);
        Assert.Equal((0, 4), (vty.First, vty.Last));
        Assert.Equal(["telnet", "ssh"], vty.TransportInput);
        Assert.True(vty.AllowsSsh);
        Assert.True(vty.AllowsTelnet);
        Assert.Null(vty.AccessClassIn);
        Assert.Equal(["con", "tty", "aux", "vty"], c.LineBlocks.Select(l => l.Kind));
        Assert.Equal(["telnet"], c.LineBlocks[2].TransportInput);

        Assert.Equal(3, c.StaticRoutes.Count);
        Assert.Equal(("Dialer1", 250), (c.StaticRoutes[0].Interface, c.StaticRoutes[0].Distance!.Value));
        Assert.Equal(("172.16.2.254", 254), (c.StaticRoutes[1].NextHop, c.StaticRoutes[1].Distance!.Value));
        Assert.True(c.StaticRoutes[1].IsDefault);

        Assert.Equal(["INTERNAL_NETWORKS", "PERMIT_ANY", "BLACKHOLE", "ETH0_0_IN", "EXT_IN", "EXT_OUT", "TEMPORARY", "11", "12", "99"], c.AccessLists.Select(a => a.Name));
        Assert.Equal(27, c.AccessList("BLACKHOLE")!.Entries.Count);
        Assert.Contains(c.InterfaceAddresses, a => a.Interface == "Loopback0" && a.Address == "172.16.0.1");

        Assert.True(IosAclEvaluator.Evaluate(c, "99", IPAddress.Parse("172.16.1.20")).Permitted);
        var denied = IosAclEvaluator.Evaluate(c, "99", IPAddress.Parse("10.0.0.1"));
        Assert.False(denied.Permitted);
        Assert.Null(denied.DecidingEntry); // IOS's implicit deny
        Assert.True(IosAclEvaluator.Evaluate(c, "12", IPAddress.Parse("172.16.1.5")).Permitted); // "permit 172.16.1.5" is a host
        Assert.False(IosAclEvaluator.Evaluate(c, "12", IPAddress.Parse("172.16.1.6")).Permitted);
        Assert.True(IosAclEvaluator.Evaluate(c, "NO_SUCH_ACL", IPAddress.Parse("10.0.0.1")) is { Permitted: true, AclMissing: true });
    }

    [Fact]
    public void FactReader_CiscoConfParseVty_TelnetAndSshNoAcl()
    {
        var facts = IosXeFactReader.Vty(RunningConfigParser.Parse(Samples.Read("ciscoconfparse_sample_01.ios")), IPAddress.Parse("10.0.0.5"));

        Assert.Equal("telnet ssh", facts.VtyProtocol);
        Assert.Equal("0 4", facts.VtyRange);
        Assert.True(facts.TelnetServerEnabled);
        Assert.False(facts.AclDeniesManagement);
    }
}
