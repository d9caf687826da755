using System.Globalization;
using NetOpsBot.Lab.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Lab;

/// <summary>One simulated switch: how the lab reaches it (loopback) and what it believes its address is.</summary>
public sealed record LabDevice(
    string Name,
    string Role,
    string LabAddress,
    string ManagementIp,
    int SshPort,
    IReadOnlyList<int> AlternatePorts,
    string? Gateway,
    int ConsolePort,
    DeviceProfile Profile,
    string Platform = LabPlatforms.HuaweiVrp,
    IosXeSwitchProfile? IosXe = null);

/// <summary>
/// The fixed campus topology every scenario runs on. Loopback addresses are what sockets use; the
/// 10.x addresses are what the switches' CLIs show, so the emulator talks about a believable network
/// and the lab translates between the two.
/// </summary>
public sealed class Topology
{
    /// <summary>Where the bot's jump host sits in the emulated network: the remote management subnet.</summary>
    public const string JumpHostManagementIp = "10.200.0.10";
    public const string ManagementSubnet = "10.200.0.0/24";
    public const int JumpHostPort = 2222;
    public const int ConsoleBasePort = 7001;
    public const string DeviceUnderTest = "sw-access-12";

    public Topology(int addressBlock, Scenario scenario, int extraAccessSwitches = 0, LabNetworkMode network = LabNetworkMode.Loopback)
    {
        if (network == LabNetworkMode.Auto)
        {
            throw new ArgumentOutOfRangeException(nameof(network), "resolve Auto first (LabNetworkDecision.Resolve)");
        }

        ArgumentNullException.ThrowIfNull(scenario);

        // Namespaced switches sit in 10.12.0.0/24 (.15-.214), and a scenario's IOS-XE switches from .201 up, so beside
        // them the extra VRP switches stop at .200; on loopback the console ports and 127.0.N.x stay clear of .250.
        var maxExtra = network != LabNetworkMode.Namespaces ? 100
            : scenario.IosXeSwitches.Count > 0 ? IosXeLabDevices.FirstHost - 15 : 200;
        if (extraAccessSwitches < 0 || extraAccessSwitches > maxExtra)
        {
            throw new ArgumentOutOfRangeException(nameof(extraAccessSwitches), $"0-{maxExtra} extra access switches (sw-access-15 and up)");
        }

        if (addressBlock is < 1 or > 254)
        {
            throw new ArgumentOutOfRangeException(nameof(addressBlock), "address block must be 1-254 (127.0.<block>.x)");
        }

        AddressBlock = addressBlock;
        Network = network;
        // 127.0.1.1 is Debian's hostname address; .10 keeps the jump host clear of it. In namespaces the
        // jump host is published on its own veth; the console server stays on the jump namespace's loopback.
        JumpHostAddress = network == LabNetworkMode.Namespaces ? LabNetwork.PublishedJumpAddress(addressBlock) : Lab(10);
        ConsoleServerAddress = Lab(250);
        Scenario = scenario;

        var bootTime = scenario.BootTime;
        Devices =
        [
            Build("sw-agg-01", "aggregation", 11, "10.12.0.1", gateway: null, console: 0, Aggregation(bootTime)),
            Build("sw-access-12", "access", 12, "10.12.0.12", "sw-agg-01", 1, ApplyScenario(Access("sw-access-12", "10.12.0.12", bootTime), scenario.Device)),
            Build("sw-access-13", "access", 13, "10.12.0.13", "sw-agg-01", 2, Access("sw-access-13", "10.12.0.13", bootTime)),
            Build("sw-access-14", "access", 14, "10.12.0.14", "sw-agg-01", 3, Access("sw-access-14", "10.12.0.14", bootTime)),
            // More healthy access switches for load tests (20 devices through one jump host).
            .. Enumerable.Range(15, extraAccessSwitches).Select(n =>
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"sw-access-{n}");
                var ip = string.Create(CultureInfo.InvariantCulture, $"10.12.0.{n}");
                return Build(name, "access", n, ip, "sw-agg-01", n - 11, Access(name, ip, bootTime));
            }),
            .. IosXeLabDevices.Build(scenario, network, Lab, bootTime),
        ];
    }

    public int AddressBlock { get; }

    public LabNetworkMode Network { get; }

    public string JumpHostAddress { get; }

    public string ConsoleServerAddress { get; }

    public Scenario Scenario { get; }

    public IReadOnlyList<LabDevice> Devices { get; }

    /// <summary>Maps a socket address seen by a device's sshd to the address the emulated device should report.</summary>
    /// <remarks>
    /// Every management connection to a switch comes from the jump host (its forwarded connects leave
    /// from 127.0.0.1, the kernel's source for loopback), so anything that is not a lab device is
    /// the jump host as far as the switches are concerned.
    /// </remarks>
    public string ToEmulatedAddress(string labAddress) =>
        Devices.FirstOrDefault(d => d.LabAddress == labAddress)?.ManagementIp ?? JumpHostManagementIp;

    private string Lab(int host) => string.Create(CultureInfo.InvariantCulture, $"127.0.{AddressBlock}.{host}");

    private LabDevice Build(string name, string role, int host, string mgmtIp, string? gateway, int console, DeviceProfile profile) =>
        new(name, role, Network == LabNetworkMode.Namespaces ? mgmtIp : Lab(host), mgmtIp, 22, [64443, 23], gateway, ConsoleBasePort + console, profile);

    private static readonly LocalUserProfile Admin = new("netops", ["ssh", "terminal"], 15);

    private static DeviceProfile Aggregation(TimeSpan bootTime) => new()
    {
        Name = "sw-agg-01",
        Model = "S5735-S24T4X",
        Esn = "2102353SVR10L9000011",
        Interfaces =
        [
            new("MEth0/0/1", null, 0, Up: false),
            new("Vlanif10", "10.12.0.1", 24),
            new("Vlanif100", "10.255.0.2", 30),
            new("LoopBack0", "10.0.0.11", 32),
        ],
        StaticRoutes = [new("0.0.0.0", 0, "10.255.0.1")],
        LocalUsers = [Admin],
        BootTime = bootTime,
    };

    private static DeviceProfile Access(string name, string ip, TimeSpan bootTime) => new()
    {
        Name = name,
        Esn = "2102353SVR10L90000" + name[^2..],
        Interfaces =
        [
            new("MEth0/0/1", null, 0, Up: false),
            new("Vlanif10", ip, 24),
        ],
        StaticRoutes = [new("0.0.0.0", 0, "10.12.0.1")],
        LocalUsers = [Admin],
        BootTime = bootTime,
    };

    private static DeviceProfile ApplyScenario(DeviceProfile healthy, ScenarioDevice s) => healthy with
    {
        PoweredOn = s.PoweredOn,
        StaticRoutes = s.DefaultRoute ? healthy.StaticRoutes : [],
        Interfaces = [.. healthy.Interfaces.Select(i => i.Name == "Vlanif10" ? i with { Up = s.ManagementInterfaceUp, TrafficFilterInbound = s.ManagementInterfaceAclInbound } : i)],
        RsaKeyPresent = s.RsaKeyPresent,
        TelnetServerEnabled = s.TelnetServerEnabled,
        Ssh = healthy.Ssh with { StelnetEnabled = s.StelnetEnabled, Port = s.SshPort, StuckListenerPort = s.StuckListenerPort },
        Vty = healthy.Vty with { ProtocolInbound = s.VtyProtocolInbound, AclInbound = s.VtyAclInbound },
        Acls = s.Acls,
    };
}
