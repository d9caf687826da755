using System.Text;
using System.Text.Json;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests;

public sealed class ParserBehaviourTests
{
    [Fact]
    public void TcpStatus_QuidwaySample_FindsTelnetListener()
    {
        // display_tcp_status/blog-lanhongshi-quidway-s5700_1.txt
        var r = TcpStatusParser.Parse(SampleFiles.Read("display_tcp_status/blog-lanhongshi-quidway-s5700_1.txt")).Value!;
        var s = Assert.Single(r.Sockets);
        Assert.Equal(("0.0.0.0", 23, "0d4315d0", "102", "1", "-1"), (s.LocalAddress, s.LocalPort, s.Tcpcb, s.Tid, s.Soid, s.VpnId));
        Assert.True(r.IsListening(23));
        Assert.False(r.IsListening(22));
    }

    [Fact]
    public void TcpStatus_Vrp8Samples_FindListenerPorts()
    {
        var v4 = TcpStatusParser.Parse(SampleFiles.Read("display_tcp_status/huawei-doc-vrp8-ne-ce_1.txt")).Value!;
        Assert.Equal([23], v4.ListeningPorts);
        Assert.Equal(("0x80C8272A", "8", "--"), (v4.Sockets[0].Cid, v4.Sockets[0].SocketId, v4.Sockets[0].VpnId));
        var v6 = TcpStatusParser.Parse(SampleFiles.Read("display_tcp_status/huawei-doc-vrp8-ipv6_1.txt")).Value!;
        Assert.Equal([22, 830], v6.ListeningPorts);
        Assert.Equal(("::", "4294967295", "5"), (v6.Sockets[1].LocalAddress, v6.Sockets[1].VpnId, v6.Sockets[1].SocketId));
    }

    [Fact]
    public void TcpStatus_SeedGhostPort_ListeningOn64443Not22()
    {
        // Synthetic, modelled on shared/seeds/000_2f442086c97f7a53.txt (listener stuck on 64443).
        const string output = "<SW1>display tcp status\r\nTCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State\r\n" +
            "0d4315d0 102/1    0.0.0.0:23            0.0.0.0:0             -1     Listening\r\n" +
            "0d431a10 105/3    0.0.0.0:64443         0.0.0.0:0             -1     Listening\r\n" +
            "0d432000 105/4    10.1.1.2:64443        10.9.9.9:51022        -1     Established\r\n<SW1>";
        var r = TcpStatusParser.Parse(output).Value!;
        Assert.False(r.IsListening(22));
        Assert.True(r.IsListening(64443));
        Assert.Equal(TcpState.Established, r.Sockets[2].State);
    }

    [Fact]
    public void TcpStatus_TenThousandLines_AllRowsParsed()
    {
        var sb = new StringBuilder("TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State\r\n");
        for (var i = 0; i < 10_000; i++)
        {
            sb.Append("0d4315d0 102/1    10.0.0.1:").Append(1024 + (i % 60000)).Append("          10.0.0.2:22        -1     Established\r\n");
        }

        var r = TcpStatusParser.Parse(sb.ToString());
        Assert.True(r.IsParsed);
        Assert.Equal(10_000, r.Value!.Sockets.Count);
    }

    [Fact]
    public void TcpStatus_PagerRemnants_RowsStillParsed()
    {
        const string output = "TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State\r\n" +
            "  ---- More ----\u001b[42D                                          \u001b[42D0d4315d0 102/1    0.0.0.0:22            0.0.0.0:0             -1     Listening\r\n";
        Assert.True(TcpStatusParser.Parse(output).Value!.IsListening(22));
    }

    [Fact]
    public void SshServerStatus_Vrp5VsVrp8Layouts_SameMeaning()
    {
        var old = SshServerStatusParser.Parse(SampleFiles.Read("display_ssh_server_status/blog-lanhongshi-quidway-s5700_1.txt")).Value!;
        Assert.Equal(("1.99", false, false, false, (int?)null), (old.SshVersion, old.StelnetEnabled, old.SftpEnabled, old.ScpEnabled, old.Port));
        Assert.Equal(60, old.AuthenticationTimeoutSeconds);
        var v8 = SshServerStatusParser.Parse(SampleFiles.Read("display_ssh_server_status/huawei-doc-vrp8-port1025_1.txt")).Value!;
        Assert.Equal(("2.0", true, false, true, (int?)1025, true), (v8.SshVersion, v8.StelnetEnabled, v8.SftpEnabled, v8.ScpEnabled, v8.Port, v8.CompatibleEnabled));
        Assert.Null(v8.Acl4);
        Assert.Equal("Enable", v8.Fields["SSH server ip-block"]);
    }

    [Fact]
    public void SshServerStatus_CampusSourceVariant_ParsesPortAndSource()
    {
        const string output = " STELNET IPv4 server                 :Enable\r\n SSH server port                     :64443\r\n SSH server source                   :Vlanif99\r\n SSH version                         :2.0\r\n";
        var r = SshServerStatusParser.Parse(output).Value!;
        Assert.Equal((true, (int?)64443, "Vlanif99"), (r.StelnetEnabled, r.Port, r.Source));
    }

    [Fact]
    public void RoutingTable_EcmpAndWrappedInterface_Joined()
    {
        var r = RoutingTableParser.Parse(SampleFiles.Read("display_ip_routing-table/ce12800-troubleshooting-notes_1.txt")).Value!;
        Assert.Equal(4, r.Routes.Count);
        Assert.All(r.Routes, x => Assert.Equal("10.125.3.8/30", x.Destination));
        Assert.Equal("40GE2/0/35.205", r.Routes[0].Interface);
        var vpn = RoutingTableParser.Parse(SampleFiles.Read("display_ip_routing-table/ops-notes-ce6851-dline-vpn_1.txt")).Value!;
        Assert.Equal(18, vpn.Routes.Count);
        Assert.Equal("DLine36", vpn.TableName);
        Assert.Equal("169.254.195.251", vpn.FindRoute("192.168.5.5")!.NextHop);
        Assert.False(vpn.HasDefaultRoute);
        Assert.Null(vpn.FindRoute("8.8.8.8"));
    }

    [Fact]
    public void RoutingTable_DefaultRoutes_DetectedAndBlackholeFlagged()
    {
        var gre = RoutingTableParser.Parse(SampleFiles.Read("display_ip_routing-table/blog-vpn-gre-ar-ensp_1.txt")).Value!;
        Assert.True(gre.HasUsableDefaultRoute);
        Assert.Equal((15, 15), (gre.Destinations, gre.RoutesCount));
        Assert.Equal("10.1.12.2", gre.FindRoute("8.8.8.8")!.NextHop);
        var lab = RoutingTableParser.Parse(SampleFiles.Read("display_ip_routing-table/lab-evpn-router-vrp8_1.txt")).Value!;
        Assert.True(lab.HasDefaultRoute);
        Assert.False(lab.HasUsableDefaultRoute);
        var noDefault = RoutingTableParser.Parse(SampleFiles.Read("display_ip_routing-table/blog-muxvlan-s5700-ensp_1.txt")).Value!;
        Assert.False(noDefault.HasDefaultRoute);
    }

    [Fact]
    public void Arp_VlanContinuationAndCe_Parsed()
    {
        var s = ArpParser.Parse(SampleFiles.Read("display_arp/blog-muxvlan-s5700-ensp_1.txt")).Value!;
        Assert.Equal(9, s.Entries.Count);
        Assert.Equal(("2", 17, "D-0"), (s.Find("192.168.10.11")!.Vlan, s.Find("192.168.10.11")!.ExpireMinutes, s.Find("192.168.10.11")!.Type));
        var ce = ArpParser.Parse(SampleFiles.Read("display_arp/otus-evpn-multihoming-ce-vrp8_1.txt")).Value!;
        Assert.True(ce.Find("192.168.20.1")!.IsIncomplete);
        var v5 = ArpParser.Parse(SampleFiles.Read("display_arp/napalm-huawei-vrp-vrp5_1.txt")).Value!;
        Assert.Equal(("DV", "813/-"), (v5.Find("10.26.13.125")!.VpnInstance, v5.Find("10.26.13.125")!.Vlan));
    }

    [Fact]
    public void Ping_Ipv6TimeoutAndVrp8_Parsed()
    {
        var v6 = PingParser.Parse(SampleFiles.Read("ping/blog-isis-ipv6-ar-ensp_1.txt")).Value!;
        Assert.Equal(("20::1", 5, 4, 20.00m, (int?)37), (v6.Target, v6.Sent, v6.Received, v6.LossPercent, v6.RttAvgMs));
        Assert.True(v6.Replies[0].TimedOut);
        Assert.Equal(63, v6.Replies[1].Ttl);
        var dead = PingParser.Parse(SampleFiles.Read("ping/otus-evpn-multihoming-ce-vrp8_1.txt")).Value!;
        Assert.Equal((0, 100m, (int?)null), (dead.Received, dead.LossPercent, dead.RttMinMs));
        var two = PingParser.ParseAll(SampleFiles.Read("ping/lab-evpn-router-vrp8_1.txt")).Value!;
        Assert.Equal(["172.22.1.110", "172.22.2.220"], two.Select(p => p.Target));
    }

    [Fact]
    public void Rsa_KeyAbsentMessage_KeyPresentFalse()
    {
        var r = RsaLocalKeyPairParser.Parse("<HUAWEI>display rsa local-key-pair public\r\nInfo: The key pair does not exist.\r\n<HUAWEI>");
        Assert.True(r.IsParsed);
        Assert.False(r.Value!.KeyPresent);
        var doc = RsaLocalKeyPairParser.Parse(SampleFiles.Read("display_rsa_local-key-pair_public/huawei-doc-vrp8-2023_1.txt")).Value!;
        Assert.Equal(("Host", 3072, "Host key", "2023-12-27 18:00:55"), (doc.Keys[0].KeyName, doc.Keys[0].ModulusBits, doc.Keys[0].Title, doc.Keys[0].CreatedAt));
    }

    [Fact]
    public void CurrentConfiguration_DocSample_SshFactsAndNoSecrets()
    {
        var path = "display_current-configuration/huawei-doc-vrp8-ssh-server-port1025_1.txt";
        var c = CurrentConfigurationParser.Parse(SampleFiles.Read(path)).Value!;
        Assert.Equal(("SSH Server", true, (int?)1025, "all-interface"), (c.Sysname, c.StelnetServerEnabled, c.SshServerPort, c.ServerSource));
        var vty = Assert.Single(c.Vty);
        Assert.Equal(("0 4", "ssh", "aaa"), (vty.Range, vty.ProtocolInbound, vty.AuthenticationMode));
        var u = Assert.Single(c.LocalUsers);
        Assert.Equal(("client001", 3, true), (u.Name, u.Level, u.HasPassword));
        Assert.Equal(["ssh"], u.ServiceTypes);
        Assert.DoesNotContain("$1d$", JsonSerializer.Serialize(c), StringComparison.Ordinal);
    }

    [Fact]
    public void CurrentConfiguration_Fragment_AclRoutesInterfacesParsed()
    {
        const string cfg = "acl number 2000\n rule 5 permit source 10.10.0.0 0.0.255.255\n rule 10 deny\n#\ninterface Vlanif99\n ip address 10.1.1.2 255.255.255.0\n#\n" +
            "ip route-static 0.0.0.0 0.0.0.0 10.1.1.1 preference 70\nundo telnet server enable\nuser-interface vty 0 4\n acl 2000 inbound\n";
        var c = CurrentConfigurationParser.Parse(cfg).Value!;
        Assert.Equal(("2000", 2), (c.Acls[0].Number, c.Acls[0].Rules.Count));
        Assert.Equal((5, "permit", "10.10.0.0", "0.0.255.255"), (c.Acls[0].Rules[0].Id, c.Acls[0].Rules[0].Action, c.Acls[0].Rules[0].Source, c.Acls[0].Rules[0].SourceWildcard));
        Assert.Equal((0, "10.1.1.1", 70), (c.StaticRoutes[0].PrefixLength, c.StaticRoutes[0].NextHop, c.StaticRoutes[0].Preference));
        Assert.Equal(24, c.Interfaces[0].Addresses[0].PrefixLength);
        Assert.False(c.TelnetServerEnabled);
        Assert.Equal(("2000", (string?)null), (c.Vty.Single().AclInbound, c.Vty.Single().ProtocolInbound));
    }

    [Fact]
    public void SshDebugLog_StelnetSample_CountsSshLines()
    {
        Assert.Equal(2, SshDebugLogParser.CountSshDebugLines(SampleFiles.Read("terminal_monitor_logs/blog-ensp-ar-stelnet-client_1.txt")));
        Assert.Equal(0, SshDebugLogParser.CountSshDebugLines(SampleFiles.Read("terminal_monitor_logs/blog-muxvlan-ar-debug-arp_1.txt")));
        var arp = SshDebugLogParser.Parse(SampleFiles.Read("terminal_monitor_logs/blog-muxvlan-ar-debug-arp_1.txt")).Value!;
        Assert.Equal(("ARP", 7, VrpLogKind.Debug), (arp.Entries[0].Module, arp.Entries[0].Level, arp.Entries[0].Kind));
        Assert.EndsWith("target_ip_addr : 21.10.168.192", arp.Entries[0].Message, StringComparison.Ordinal);
        Assert.Equal(0, SshDebugLogParser.CountSshDebugLines("<SW1>\r\n<SW1>"));
    }

    public static TheoryData<string> Garbage() => new()
    {
        "hello world\nthis is not VRP",
        "\0\u0001\u0002\u00ff\ufffd\u001b[31m",
        "TCPCB    Tid/Soid Local",
        "Destination/Mask",
        "PING 1.1.1.1: 56  data bytes, press CTRL_C to break\n    Reply from 1.1.1.1: bytes=56 Sequence=1 ttl=254 time=5 ms",
        "Error: Unrecognized command found at '^' position.",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void AllParsers_GarbageOrTruncated_NeverThrowAndKeepRaw(string input)
    {
        foreach (var name in new[] { "display tcp status", "display ssh server status", "display ip routing-table", "display arp", "ping 1.1.1.1", "display rsa local-key-pair public", "display current-configuration", "display version" })
        {
            var r = VrpParsers.ParseCommand(name, input);
            if (!r.Parsed)
            {
                Assert.Equal(input, r.Raw);
                Assert.False(string.IsNullOrEmpty(r.Reason));
            }
        }

        Assert.False(SshDebugLogParser.Parse(input).IsParsed);
    }

    [Fact]
    public void AllParsers_PlainGarbage_Unparsed()
    {
        const string g = "lorem ipsum\ndolor sit amet";
        Assert.False(TcpStatusParser.Parse(g).IsParsed);
        Assert.False(SshServerStatusParser.Parse(g).IsParsed);
        Assert.False(RoutingTableParser.Parse(g).IsParsed);
        Assert.False(ArpParser.Parse(g).IsParsed);
        Assert.False(PingParser.Parse(g).IsParsed);
        Assert.False(RsaLocalKeyPairParser.Parse(g).IsParsed);
        Assert.False(CurrentConfigurationParser.Parse(g).IsParsed);
        Assert.Equal(g, VersionParser.Parse(g).Raw);
        Assert.False(TcpStatusParser.Parse(null).IsParsed);
    }

    [Fact]
    public void AllParsers_OneMegabyteBinary_NeverThrow()
    {
        var rnd = new Random(42);
        var bytes = new byte[1 << 20];
        rnd.NextBytes(bytes);
        var text = Encoding.Latin1.GetString(bytes);
        foreach (var name in new[] { "display tcp status", "display ssh server status", "display ip routing-table", "display arp", "ping 1.1.1.1", "display rsa local-key-pair public", "display current-configuration", "display version" })
        {
            _ = VrpParsers.ParseCommand(name, text);
        }

        _ = SshDebugLogParser.Parse(text);
        _ = VrpOutputCleaner.Clean(text);
        _ = VrpErrors.FindMessages(text);
        _ = VrpConfirmation.DetectAtEnd(text);
    }

    [Theory]
    [InlineData("dis tcp status", "tcp-status")]
    [InlineData("display tcp ipv6 status", "tcp-status")]
    [InlineData("disp ip rout vpn-instance X", "routing-table")]
    [InlineData("display current-configuration | include ssh", "current-configuration")]
    [InlineData("dis ssh server status", "ssh-server-status")]
    public void ParseCommand_Abbreviation_SelectsParser(string command, string parser) =>
        Assert.Equal(parser, VrpParsers.ParseCommand(command, "x").Parser);

    [Fact]
    public void ParseCommand_UnknownCommand_UnparsedAndJsonSerialisable()
    {
        var r = VrpParsers.ParseCommand("display foo bar", "out");
        Assert.False(r.Parsed);
        Assert.Equal("out", r.Raw);
        var ok = VrpParsers.ParseCommand("dis tcp status", SampleFiles.Read("display_tcp_status/blog-lanhongshi-quidway-s5700_1.txt"));
        Assert.Contains("\"LocalPort\":23", JsonSerializer.Serialize(ok), StringComparison.Ordinal);
    }

    [Fact]
    public void VrpPrompt_Variants_KindAndHostname()
    {
        Assert.True(VrpPrompt.TryParse("[~SSH Server-rsa-public-key]", out var p, "SSH Server"));
        Assert.Equal(("SSH Server", "rsa-public-key", '~'), (p!.Hostname, p.View, p.CommitMarker));
        Assert.Equal(VrpViewKind.UserInterface, VrpPrompt.FindAtEnd("x\r\n[AC1-ui-vty0-4]")!.Kind);
        Assert.Equal(VrpViewKind.Aaa, VrpPrompt.FindAtEnd("[*HUAWEI-aaa]")!.Kind);
        Assert.Equal(VrpViewKind.User, VrpPrompt.FindAtEnd("Info: x\r\n<test> ")!.Kind);
        Assert.Equal(VrpViewKind.Interface, VrpPrompt.FindAtEnd("[ZD_agg_5720-GigabitEthernet1/0/1]")!.Kind);
        Assert.Null(VrpPrompt.FindAtEnd("<HUAWEI>display version\r\nHuawei Versatile"));
    }

    [Fact]
    public void VrpPaging_PagerSample_StrippedAndLinesIntact()
    {
        var raw = SampleFiles.Read("pagination/comocutor-vrp5-s-series-pager_1.txt");
        var clean = VrpOutputCleaner.Clean(raw);
        Assert.Equal("display current | inc XGigabitEthernet0/0/2", clean.EchoedCommand);
        Assert.Equal(11, clean.Lines.Count);
        Assert.Contains("interface XGigabitEthernet0/0/22", clean.Lines);
        Assert.DoesNotContain(clean.Lines, l => l.Contains("More", StringComparison.Ordinal) || l.Contains('\u001b', StringComparison.Ordinal));
        Assert.True(VrpPaging.EndsWithMore("interface X\r\n  ---- More ----"));
        Assert.Equal("abc", VrpPaging.Strip("  ---- More ----\u001b[16D                \u001b[16Dabc"));
    }

    [Fact]
    public void VrpErrors_ErrorSamples_AllErrorsWithCaret()
    {
        var msgs = VrpErrors.FindMessages(SampleFiles.Read("error_messages/gnetcli-huawei-error-cases_1.txt"));
        Assert.Equal(9, msgs.Count(m => m.Kind == VrpMessageKind.Error));
        Assert.Equal(13, msgs[0].CaretColumn);
        Assert.Contains(msgs, m => m.Number == 2 && m.Text.StartsWith("Incomplete", StringComparison.Ordinal));
        Assert.Contains(VrpErrors.FindMessages(SampleFiles.Read("error_messages/comocutor-vrp-errors_1.txt")), m => m.Text == "Incomplete command found at '^' position.");
    }

    [Fact]
    public void VrpConfirmation_Questions_Detected()
    {
        Assert.Equal(VrpQuestionKind.YesNo, VrpConfirmation.DetectAtEnd(SampleFiles.Read("confirmation_prompts/gnetcli-huawei-question-cases_1.txt"))!.Kind);
        Assert.StartsWith("Warning: The initial password", VrpConfirmation.DetectAtEnd("x\r\nWarning: The initial password poses security risks.\r\nThe password needs to be changed. Change now? [Y/N]:")!.Text, StringComparison.Ordinal);
        var bits = VrpConfirmation.DetectAtEnd("NOTES: ...\r\nInput the bits in the modulus[default = 2048]:");
        Assert.Equal((VrpQuestionKind.Number, "2048"), (bits!.Kind, bits.Default));
        Assert.Equal("n", VrpConfirmation.DetectAtEnd("Confirm to replace them? (y/n)[n]:")!.Default);
        Assert.Null(VrpConfirmation.DetectAtEnd("Warning: All DHCP functions will be disabled. Continue? [Y/N]:Y\r\n\r\n[~test]"));
        Assert.Equal(VrpQuestionKind.Password, VrpConfirmation.DetectAtEnd("Enter password:")!.Kind);
    }

    [Fact]
    public void VrpOutputCleaner_MonitorLogs_SeparatedFromOutput()
    {
        var c = VrpOutputCleaner.Clean(SampleFiles.Read("terminal_monitor_logs/blog-muxvlan-ar-debug-arp_1.txt"));
        Assert.Equal(5, c.AsyncLogLines.Count);
        Assert.Equal("display arp", c.EchoedCommand);
        Assert.StartsWith("IP ADDRESS", c.Lines[0], StringComparison.Ordinal);
        var ts = VrpOutputCleaner.Clean("<CE>display x\r\n2022-08-18 16:44:02.349 +08:00\r\nA\r\n<CE>");
        Assert.Equal(("2022-08-18 16:44:02.349 +08:00", "A"), (ts.Timestamp, ts.Text));
    }
}
