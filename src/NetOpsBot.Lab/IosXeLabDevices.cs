using System.Globalization;
using NetOpsBot.Lab.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Lab;

/// <summary>The platform ids the lab writes into its inventory (the product chooses a dialect by them).</summary>
public static class LabPlatforms
{
    public const string HuaweiVrp = "huawei-vrp";
    public const string CiscoIosXe = "cisco-iosxe";
}

/// <summary>A Cisco IOS-XE access switch of a scenario: its name and the one root cause it starts with.</summary>
public sealed record ScenarioIosXeSwitch(string Name, string Fault)
{
    /// <summary>The root causes the IOS-XE emulator's profiles support (<see cref="IosXeScenarios"/>), in scenario-file form.</summary>
    public static IReadOnlyList<string> Faults { get; } = ["none", "no-rsa-key", "telnet-only", "vty-access-class", "no-default-route", "listener-stuck", "mgmt-interface-shut", "down"];

    /// <summary>At most this many: they sit on 127.0.N.201 and up, below the console server's .250.</summary>
    public const int MaxSwitches = 40;

    internal static IReadOnlyList<ScenarioIosXeSwitch> Validate(string file, IReadOnlyList<ScenarioLoader.IosXeSwitchDocument>? docs)
    {
        void Fail(string field, string problem) => throw new ScenarioException($"Scenario file '{file}': field '{field}' {problem}");

        var result = new List<ScenarioIosXeSwitch>();
        if (docs is null)
        {
            return result;
        }

        if (docs.Count > MaxSwitches)
        {
            Fail("iosXeSwitches", string.Create(CultureInfo.InvariantCulture, $"may list at most {MaxSwitches} switches (got {docs.Count})."));
        }

        for (var i = 0; i < docs.Count; i++)
        {
            var path = string.Create(CultureInfo.InvariantCulture, $"iosXeSwitches[{i}]");
            var name = docs[i].Name;
            // A hostname IOS accepts and that cannot collide with the VRP switches (sw-agg-01, sw-access-NN).
            if (string.IsNullOrEmpty(name) || name.Length > 32 || !char.IsAsciiLetterLower(name[0]) || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                || name.StartsWith("sw-", StringComparison.Ordinal))
            {
                Fail($"{path}.name", $"must be a lower-case hostname of letters, digits and '-', not starting with 'sw-' (got '{name}').");
            }

            if (result.Any(r => r.Name == name))
            {
                Fail($"{path}.name", $"repeats '{name}'.");
            }

            var fault = docs[i].Fault ?? "none";
            if (!Faults.Contains(fault))
            {
                Fail($"{path}.fault", $"must be one of {string.Join(", ", Faults)} (got '{fault}').");
            }

            result.Add(new ScenarioIosXeSwitch(name!, fault));
        }

        return result;
    }
}

/// <summary>Places a scenario's IOS-XE switches in the topology and builds their emulator profiles.</summary>
internal static class IosXeLabDevices
{
    public const int FirstHost = 201;
    private const int FirstConsole = 200;
    private const string Gateway = "10.12.0.1";

    public static IEnumerable<LabDevice> Build(Scenario scenario, LabNetworkMode network, Func<int, string> labAddress, TimeSpan bootTime)
    {
        for (var i = 0; i < scenario.IosXeSwitches.Count; i++)
        {
            var s = scenario.IosXeSwitches[i];
            var host = FirstHost + i;
            var ip = string.Create(CultureInfo.InvariantCulture, $"10.12.0.{host}");
            var profile = Profile(s, ip) with
            {
                BootTime = bootTime,
                Mac = string.Create(CultureInfo.InvariantCulture, $"5254.0012.{host:x4}"),
                Serial = string.Create(CultureInfo.InvariantCulture, $"FOC2234X{host:D3}"),
            };
            // The VRP profile is never turned into a VRP device; it keeps LabDevice's shape for the shared code paths, and
            // its power and default route are what the namespaced lab installs while it builds the switch's namespace.
            var placeholder = new DeviceProfile
            {
                Name = s.Name,
                // A shut Gi0/0 is the namespace's management link down from the start: the gateway must not learn the
                // switch's MAC while the lab primes ARP (LabNetwork skips a device whose "Vlanif10" is down).
                Interfaces = profile.ManagementInterfaceShutdown ? [new InterfaceProfile("Vlanif10", ip, 24, Up: false)] : [],
                PoweredOn = profile.PoweredOn,
                StaticRoutes = profile.DefaultGateway is { } gw ? [new StaticRouteProfile("0.0.0.0", 0, gw)] : [],
            };
            // In namespaces a switch's sockets sit on its management address, as the VRP switches' do.
            var address = network == LabNetworkMode.Namespaces ? ip : labAddress(host);
            yield return new LabDevice(s.Name, "access", address, ip, 22, [23], "sw-agg-01", Topology.ConsoleBasePort + FirstConsole + i, placeholder, LabPlatforms.CiscoIosXe, profile);
        }
    }

    private static IosXeSwitchProfile Profile(ScenarioIosXeSwitch s, string ip) => s.Fault switch
    {
        "no-rsa-key" => IosXeScenarios.NoRsaKey(s.Name, ip, Gateway),
        "telnet-only" => IosXeScenarios.TelnetOnly(s.Name, ip, Gateway),
        // Only the local VLAN may log in: the jump host (the remote management subnet) is denied.
        "vty-access-class" => IosXeScenarios.VtyAccessClass(s.Name, ip, Gateway, "10.12.0.0", "0.0.0.255"),
        "no-default-route" => IosXeScenarios.NoDefaultRoute(s.Name, ip, Gateway),
        "listener-stuck" => IosXeScenarios.ListenerStuck(s.Name, ip, Gateway),
        "mgmt-interface-shut" => IosXeScenarios.ManagementInterfaceShut(s.Name, ip, Gateway),
        "down" => IosXeScenarios.Down(s.Name, ip, Gateway),
        _ => IosXeScenarios.Healthy(s.Name, ip, Gateway),
    };
}
