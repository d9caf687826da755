using System.Net;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Vrp.Tests.Runbook;

/// <summary>
/// The lab's scenarios (src/NetOpsBot.Lab/Scenarios) as replayed VRP text. Real captures from
/// ../shared/vrp-samples are used where one fits (ssh server status, RSA key); the rest is hand-written in
/// VRP5 format, modelled on the samples and the reference case.
/// </summary>
internal static class LabScenarios
{
    public const string DeviceIp = "10.12.0.12";
    public const string GatewayIp = "10.12.0.1";

    public static DeviceRef Device { get; } = new(
        DeviceName.Parse("sw-access-12"), "huawei-vrp", "127.0.1.12", IPAddress.Parse(DeviceIp), 22, [64443, 23],
        DeviceName.Parse("sw-agg-01"), "jump-1", new ConsoleEndpoint("127.0.1.250", 7012), "lab-device")
    {
        GatewayIp = IPAddress.Parse(GatewayIp),
    };

    public static DeviceRef Gateway { get; } = new(
        DeviceName.Parse("sw-agg-01"), "huawei-vrp", "127.0.1.11", IPAddress.Parse(GatewayIp), 22, [], null, "jump-1", null, "lab-device");

    public const string RoutesWithDefault = """
        <sw-access-12>display ip routing-table
        Route Flags: R - relay, D - download to fib
        ------------------------------------------------------------------------------
        Routing Tables: Public
                 Destinations : 4        Routes : 4
        Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface
                0.0.0.0/0   Static  60   0          RD   10.12.0.1       Vlanif12
              10.12.0.0/24  Direct  0    0           D   10.12.0.12      Vlanif12
             10.12.0.12/32  Direct  0    0           D   127.0.0.1       Vlanif12
              127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0
        """;

    public const string RoutesWithoutDefault = """
        <sw-access-12>display ip routing-table
        Route Flags: R - relay, D - download to fib
        ------------------------------------------------------------------------------
        Routing Tables: Public
                 Destinations : 3        Routes : 3
        Destination/Mask    Proto   Pre  Cost      Flags NextHop         Interface
              10.12.0.0/24  Direct  0    0           D   10.12.0.12      Vlanif12
             10.12.0.12/32  Direct  0    0           D   127.0.0.1       Vlanif12
              127.0.0.0/8   Direct  0    0           D   127.0.0.1       InLoopBack0
        """;

    public const string SshDisabled = """
        <sw-access-12>display ssh server status
         SSH version                         :1.99
         SSH connection timeout              :60 seconds
         SSH server key generating interval  :0 hours
         SSH authentication retries          :3 times
         SFTP server                         :Disable
         Stelnet server                      :Disable
         Scp server                          :Disable
         SSH server port                     :22
        """;

    public const string TcpHealthy = """
        <sw-access-12>display tcp status
        TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State
        0d4315d0 102/1    0.0.0.0:22            0.0.0.0:0             -1     Listening
        0d431a10 105/3    0.0.0.0:23            0.0.0.0:0             -1     Listening
        0d432000 105/4    10.12.0.12:22         10.200.0.10:51022     -1     Established
        """;

    public const string TcpGhost = """
        <sw-access-12>display tcp status
        TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State
        0d4315d0 102/1    0.0.0.0:23            0.0.0.0:0             -1     Listening
        0d431a10 105/3    0.0.0.0:64443         0.0.0.0:0             -1     Listening
        0d432000 105/4    10.12.0.12:64443      10.200.0.10:51022     -1     Established
        """;

    public const string RsaAbsent = "<sw-access-12>display rsa local-key-pair public\nInfo: The key pair does not exist.";

    public const string ConfigHealthy = """
        <sw-access-12>display current-configuration
        #
         sysname sw-access-12
        #
         stelnet server enable
         ssh server port 22
        #
        interface Vlanif12
         ip address 10.12.0.12 255.255.255.0
        #
        ip route-static 0.0.0.0 0.0.0.0 10.12.0.1
        #
        user-interface con 0
         authentication-mode password
        user-interface vty 0 4
         authentication-mode aaa
         protocol inbound ssh
        #
        return
        """;

    public const string SshDebugLines = """
        Nov 24 2026 10:00:01.120.1+00:00 sw-access-12 SSH/7/server_recv:Received SSH protocol packet version exchange.
        Nov 24 2026 10:00:01.130.1+00:00 sw-access-12 SSH/7/server_send:Sent SSH protocol packet key exchange init.
        """;

    public static string ArpEntry => $"<sw-agg-01>display arp | include {DeviceIp}\n{DeviceIp}      00e0-fc12-3456   20   D-0  GE0/0/12\n                                    12";

    public static string PingOk => $"""
        <sw-agg-01>ping -a {GatewayIp} {DeviceIp}
          PING {DeviceIp}: 56  data bytes, press CTRL_C to break
            Reply from {DeviceIp}: bytes=56 Sequence=1 ttl=255 time=1 ms
            Reply from {DeviceIp}: bytes=56 Sequence=2 ttl=255 time=1 ms

          --- {DeviceIp} ping statistics ---
            2 packet(s) transmitted
            2 packet(s) received
            0.00% packet loss
            round-trip min/avg/max = 1/1/1 ms
        """;

    public static string PingLost => $"""
        <sw-agg-01>ping -a {GatewayIp} {DeviceIp}
          PING {DeviceIp}: 56  data bytes, press CTRL_C to break
            Request time out
            Request time out

          --- {DeviceIp} ping statistics ---
            2 packet(s) transmitted
            0 packet(s) received
            100.00% packet loss
        """;

    /// <summary>A healthy lab: SSH on 22, default route, key, VTY ssh; the gateway sees the device.</summary>
    /// <summary>A scenario by its lab name ("ghost-port"), as the runner and key-evidence theories name them.</summary>
    public static FakeDeviceAccess ByName(string name) => name switch
    {
        "healthy" => Healthy(),
        "ssh-disabled" => SshDisabledScenario(),
        "no-rsa-key" => NoRsaKeyScenario(),
        "no-default-route" => NoDefaultRouteScenario(),
        "ghost-port" => GhostPortScenario(),
        "vty-acl" => VtyAclScenario(),
        "telnet-only-vty" => TelnetOnlyVtyScenario(),
        "device-down" => DeviceDownScenario(),
        "jump-host-down" => JumpHostDownScenario(),
        "host-key-mismatch" => HostKeyMismatchScenario(),
        "seed-case" => SeedCaseScenario(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such lab scenario"),
    };

    public static FakeDeviceAccess Healthy()
    {
        var access = new FakeDeviceAccess();
        var d = new FakeDevice { Hostname = "sw-access-12" };
        d.Probes[22] = ProbeOutcome.Open;
        d.Probes[64443] = ProbeOutcome.Refused;
        d.Probes[23] = ProbeOutcome.Open;
        d.Outputs["screen-length 0 temporary"] = "Info: The configuration takes effect on the current user terminal interface only.";
        d.Outputs["display ip routing-table"] = RoutesWithDefault;
        d.Outputs["display ssh server status"] = SampleFiles.Read("display_ssh_server_status/huawei-doc-vrp8-cmdref_1.txt");
        d.Outputs["display tcp status"] = TcpHealthy;
        d.Outputs["terminal monitor"] = "Info: Current terminal monitor is on.";
        d.Outputs["terminal debugging"] = "Info: Current terminal debugging is on.";
        d.Outputs["debugging ssh server all"] = string.Empty;
        d.Outputs["undo debugging all"] = "Info: All possible debugging has been turned off";
        d.Outputs["display rsa local-key-pair public"] = SampleFiles.Read("display_rsa_local-key-pair_public/huawei-doc-vrp8-2023_1.txt");
        d.Outputs["display current-configuration"] = ConfigHealthy;
        d.AsyncLines = SshDebugLines;
        access.Devices[Device.Name.Value] = d;

        var g = new FakeDevice { Hostname = "sw-agg-01" };
        g.Outputs["screen-length 0 temporary"] = "Info: The configuration takes effect on the current user terminal interface only.";
        g.Outputs[$"display arp | include {DeviceIp}"] = ArpEntry;
        g.Outputs[$"ping -a {GatewayIp} {DeviceIp}"] = PingOk;
        access.Devices[Gateway.Name.Value] = g;
        return access;
    }

    public static FakeDevice Sw(this FakeDeviceAccess access) => access.Devices[Device.Name.Value];

    public static FakeDevice Gw(this FakeDeviceAccess access) => access.Devices[Gateway.Name.Value];

    public static FakeDeviceAccess SshDisabledScenario()
    {
        var a = Healthy();
        a.Sw().Probes[22] = ProbeOutcome.Refused;
        a.Sw().Outputs["display ssh server status"] = SshDisabled;
        a.Sw().Outputs["display tcp status"] = TcpHealthy.Replace("0d4315d0 102/1    0.0.0.0:22            0.0.0.0:0             -1     Listening\n", string.Empty, StringComparison.Ordinal);
        a.Sw().OpenFailures[AccessPath.Ssh(23)] = DeviceAccessFailure.HandshakeFailed;
        a.Sw().AsyncLines = string.Empty;
        return a;
    }

    public static FakeDeviceAccess NoRsaKeyScenario()
    {
        var a = Healthy();
        a.Sw().OpenFailures[AccessPath.Ssh(22)] = DeviceAccessFailure.HandshakeFailed;
        a.Sw().OpenFailures[AccessPath.Ssh(23)] = DeviceAccessFailure.HandshakeFailed;
        a.Sw().Outputs["display rsa local-key-pair public"] = RsaAbsent;
        return a;
    }

    public static FakeDeviceAccess NoDefaultRouteScenario()
    {
        var a = Healthy();
        a.Sw().Outputs["display ip routing-table"] = RoutesWithoutDefault;
        return a;
    }

    public static FakeDeviceAccess GhostPortScenario()
    {
        var a = Healthy();
        a.Sw().Probes[22] = ProbeOutcome.Refused;
        a.Sw().Probes[64443] = ProbeOutcome.Open;
        a.Sw().Outputs["display tcp status"] = TcpGhost;
        a.Sw().AsyncLines = string.Empty;
        return a;
    }

    public static FakeDeviceAccess SeedCaseScenario()
    {
        var a = GhostPortScenario();
        a.Sw().Outputs["display ip routing-table"] = RoutesWithoutDefault;
        return a;
    }

    public static FakeDeviceAccess VtyAclScenario()
    {
        var a = Healthy();
        a.Sw().OpenFailures[AccessPath.Ssh(22)] = DeviceAccessFailure.SessionRefused;
        a.Sw().OpenFailures[AccessPath.Ssh(23)] = DeviceAccessFailure.HandshakeFailed;
        a.Sw().Outputs["display current-configuration"] = ConfigHealthy
            .Replace(" protocol inbound ssh", " protocol inbound ssh\n acl 2000 inbound", StringComparison.Ordinal)
            .Replace("user-interface con 0", "acl number 2000\n rule 5 permit source 10.12.0.0 0.0.0.255\n rule 10 deny source 10.200.0.0 0.0.0.255\n#\nuser-interface con 0", StringComparison.Ordinal);
        return a;
    }

    public static FakeDeviceAccess TelnetOnlyVtyScenario()
    {
        var a = Healthy();
        a.Sw().OpenFailures[AccessPath.Ssh(22)] = DeviceAccessFailure.SessionRefused;
        a.Sw().OpenFailures[AccessPath.Ssh(23)] = DeviceAccessFailure.HandshakeFailed;
        a.Sw().Outputs["display current-configuration"] = ConfigHealthy.Replace("protocol inbound ssh", "protocol inbound telnet", StringComparison.Ordinal);
        return a;
    }

    public static FakeDeviceAccess DeviceDownScenario()
    {
        var a = Healthy();
        foreach (var p in new[] { 22, 64443, 23 })
        {
            a.Sw().Probes[p] = ProbeOutcome.Timeout;
        }

        a.Sw().OpenFailures[AccessPath.Console] = DeviceAccessFailure.SessionRefused;
        a.Gw().Outputs[$"display arp | include {DeviceIp}"] = $"<sw-agg-01>display arp | include {DeviceIp}\n";
        a.Gw().Outputs[$"ping -a {GatewayIp} {DeviceIp}"] = PingLost;
        return a;
    }

    public static FakeDeviceAccess JumpHostDownScenario()
    {
        var a = Healthy();
        a.AllProbes = ProbeOutcome.JumpHostUnreachable;
        return a;
    }

    public static FakeDeviceAccess HostKeyMismatchScenario()
    {
        var a = Healthy();
        a.Sw().OpenFailures[AccessPath.Ssh(22)] = DeviceAccessFailure.HostKeyMismatch;
        return a;
    }
}
