using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetOpsBot.Lab.Emulator;
using NetOpsBot.Lab.Emulator.IosXe;

namespace NetOpsBot.Lab;

/// <summary>
/// The Cisco IOS-XE switches of a mixed site: each is served like a VRP switch (a real sshd per switch whose
/// login shell is the VTY shim, a Telnet server while a VTY line takes telnet, SYNs dropped while it is down),
/// but its state machine is the IOS-XE emulator. In namespaces each has its own namespace behind the gateway, like a
/// VRP access switch: its kernel routes follow the routes IOS installs, and a switch that is not up is a dead link.
/// </summary>
public sealed partial class LabController
{
    private readonly Dictionary<string, IosXeRuntime> _iosXe = new(StringComparer.Ordinal);

    /// <summary>The emulated IOS-XE switch called <paramref name="name"/>, for tests and demos that change its state.</summary>
    public IosXeSwitch? IosXeDevice(string name) => _iosXe.TryGetValue(name, out var r) ? r.Switch : null;

    private void AddIosXeDevice(LabDevice d, IosXeSwitchProfile profile)
    {
        // In namespaces "show arp" and "ping" read the switch's kernel, as VRP's "display arp" and "ping" do.
        var sw = new IosXeSwitch(profile, _options.Time, NeighbourAlive) { Physical = _net };
        var sshd = new SshdInstance(d.Name, Path.Combine(LabLayout.SshdDirectory(_run), d.Name + ".conf"), Path.Combine(LabLayout.SshdDirectory(_run), d.Name + ".log"), _net?.Enter(d.Name));
        _iosXe[d.Name] = new IosXeRuntime(d, sw, sshd);
    }

    /// <summary>Who answers a ping from an IOS-XE switch: the jump host, and lab switches that are up.</summary>
    private bool NeighbourAlive(string ip)
    {
        if (ip == Topology.JumpHostManagementIp)
        {
            return true;
        }

        if (_devices.Values.FirstOrDefault(r => r.Lab.ManagementIp == ip) is { } vrp)
        {
            return vrp.Device.Power == PowerState.Up;
        }

        return _iosXe.Values.FirstOrDefault(r => r.Lab.ManagementIp == ip) is { } other && other.Switch.Power == IosXePower.Up;
    }

    private List<Task> ReconcileIosXeDevices(CancellationToken ct) => _iosXe.Values.Select(r => ReconcileIosXeAsync(r, ct)).ToList();

    private void WatchIosXeDevices()
    {
        foreach (var runtime in _iosXe.Values)
        {
            runtime.Switch.StateChanged += (_, _) => _ = ReconcileIosXeSafeAsync(runtime);
        }
    }

    private Task ReconcileIosXeSafeAsync(IosXeRuntime runtime) => ReconcileSafeAsync(runtime.Lab.Name, ct => ReconcileIosXeAsync(runtime, ct));

    /// <summary>
    /// Makes the switch's real sockets match its emulated state: sshd on 22 while SSH runs, Telnet on 23, SYNs dropped
    /// while down (in namespaces: the link is down and the namespace's routes are the ones IOS installs).
    /// </summary>
    private async Task ReconcileIosXeAsync(IosXeRuntime runtime, CancellationToken ct)
    {
        await runtime.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var lab = runtime.Lab;
            var power = runtime.Switch.Power;
            var interfaceUp = runtime.Switch.ManagementInterfaceUp;
            if (_net is not null)
            {
                // As for VRP: the session that typed `reload` ends with a FIN that needs the link.
                if (power != IosXePower.Up && runtime.Power == IosXePower.Up)
                {
                    await Task.Delay(SessionCloseGrace, ct).ConfigureAwait(false);
                }

                var routes = runtime.Switch.ActiveStaticRoutes;
                // A shut management interface is the namespace's link down: no ARP, no connected route.
                await _net.ApplyAsync(lab, power == IosXePower.Up, routes, (interfaceUp, []), ct).ConfigureAwait(false);
                runtime.AppliedRoutes = routes;
            }

            runtime.Power = power;
            runtime.AppliedInterfaceUp = interfaceUp;
            // On loopback there is no interface to shut: the jump host is cut off as from a powered-off switch (SYNs
            // dropped), while the console keeps working, as for VRP.
            var cutOff = _net is null && !interfaceUp;
            if (power != IosXePower.Up || cutOff)
            {
                runtime.AppliedPorts = new HashSet<int>();
                runtime.Sshd.Stop(killSessions: false);
                runtime.Telnet?.Dispose();
                runtime.Telnet = null;
                // In namespaces the dead link already drops everything (no ARP answer at the gateway).
                if (runtime.Blackholes.Count == 0 && _net is null)
                {
                    foreach (var port in new[] { lab.SshPort }.Concat(lab.AlternatePorts).Distinct())
                    {
                        runtime.Blackholes.Add(new Blackhole(lab.LabAddress, port));
                    }
                }

                return;
            }

            foreach (var b in runtime.Blackholes)
            {
                b.Dispose();
            }

            runtime.Blackholes.Clear();
            var ports = runtime.Switch.ListeningTcpPorts;
            runtime.AppliedPorts = ports;
            var wantSsh = ports.Contains(22);
            if (wantSsh && runtime.Sshd.Pid is null)
            {
                // Without an RSA key IOS-XE does not listen on 22 at all (a connect gets a RST), so the
                // switch's sshd only exists while it has one; the lab's first device key stands for it.
                var endpoint = SshdInstance.Endpoint(lab.LabAddress, 22);
                var config = SshdConfigs.Device([endpoint], KeyPath($"{lab.Name}_rsa_0"), DeviceLoginConfig("device"), SshdConfigs.IosXeVersionAddendum);
                await runtime.Sshd.StartAsync(config, [endpoint], ct).ConfigureAwait(false);
            }
            else if (!wantSsh && runtime.Sshd.Pid is not null)
            {
                runtime.Sshd.Stop(killSessions: false);
            }

            var wantTelnet = ports.Contains(23);
            if (wantTelnet && runtime.Telnet is null)
            {
                TelnetServer Create() => new(lab.LabAddress, 23, remote => OpenIosXeSession(runtime, "telnet", remote.Address.ToString(), remote.Port, 23));
                runtime.Telnet = _net is null ? Create() : _net.RunInside(lab.Name, Create);
            }
            else if (!wantTelnet && runtime.Telnet is not null)
            {
                runtime.Telnet.Dispose();
                runtime.Telnet = null;
            }
        }
        finally
        {
            runtime.Gate.Release();
        }
    }

    /// <summary>
    /// The IOS-XE emulator raises no event for a configuration change, so after each input line the lab compares what
    /// the sockets (and, in namespaces, the kernel routes) were made to match: `ip route`, `crypto key`, `transport input`.
    /// </summary>
    private void ReconcileIosXeIfPortsMoved(IosXeRuntime runtime)
    {
        var sw = runtime.Switch;
        var interfaceUp = sw.ManagementInterfaceUp;
        if (sw.Power == IosXePower.Up && (interfaceUp != runtime.AppliedInterfaceUp
            || (interfaceUp && !sw.ListeningTcpPorts.SetEquals(runtime.AppliedPorts))
            || (_net is not null && !sw.ActiveStaticRoutes.SequenceEqual(runtime.AppliedRoutes))))
        {
            _ = ReconcileIosXeSafeAsync(runtime);
        }
    }

    private IosXeRuntime? ResolveIosXe(VtyHello hello)
    {
        var parts = (hello.SshConnection ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var serverPort))
        {
            return null;
        }

        return hello.Role == "console"
            ? _iosXe.Values.FirstOrDefault(r => r.Lab.ConsolePort == serverPort)
            : _iosXe.Values.FirstOrDefault(r => r.Lab.LabAddress == parts[2]);
    }

    private bool IsIosXeLogin(VtyHello hello) => _iosXe.Count > 0 && ResolveIosXe(hello) is not null;

    private IosXeLabSession? OpenIosXeVtySession(VtyHello hello)
    {
        // SSH_CONNECTION = "client_ip client_port server_ip server_port", set by sshd itself.
        var parts = (hello.SshConnection ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (ResolveIosXe(hello) is not { } runtime || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clientPort))
        {
            return null;
        }

        var serverPort = int.Parse(parts[3], CultureInfo.InvariantCulture);
        return OpenIosXeSession(runtime, hello.Role == "console" ? "console" : "ssh", parts[0], clientPort, serverPort);
    }

    private IosXeLabSession? OpenIosXeSession(IosXeRuntime runtime, string transport, string labClientAddress, int clientPort, int serverPort)
    {
        var client = _topology.ToEmulatedAddress(labClientAddress);
        try
        {
            var session = runtime.Switch.OpenSession(client, clientPort, serverPort);
            // The console line is not a VTY: transport input and access-class do not apply to it.
            var admitted = transport == "console" || runtime.Switch.AdmitsVty(client, transport);
            LogIosXeSession(_log, runtime.Lab.Name, transport, client, serverPort, admitted);
            return new IosXeLabSession(session, admitted, () => ReconcileIosXeIfPortsMoved(runtime));
        }
        catch (InvalidOperationException)
        {
            // Powered off or reloading between the connect and the login.
            return null;
        }
    }

    private IEnumerable<DeviceInfo> IosXeDeviceStatus() => _iosXe.Values.Select(r => new DeviceInfo(
        r.Lab.Name,
        r.Lab.Role,
        r.Lab.LabAddress,
        r.Lab.ManagementIp,
        [.. r.Switch.ListeningTcpPorts.Order()],
        r.Switch.Power.ToString().ToLowerInvariant(),
        LabHost.DeviceUser,
        _password,
        r.Lab.ConsolePort));

    private async Task DisposeIosXeDevicesAsync()
    {
        foreach (var runtime in _iosXe.Values)
        {
            await runtime.Gate.WaitAsync().ConfigureAwait(false);
            runtime.Sshd.Dispose();
            runtime.Telnet?.Dispose();
            foreach (var b in runtime.Blackholes)
            {
                b.Dispose();
            }

            runtime.Gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: IOS-XE {Transport} login from {Client} on port {Port} (admitted by the VTY line: {Admitted})")]
    private static partial void LogIosXeSession(ILogger log, string device, string transport, string client, int port, bool admitted);

    private sealed class IosXeRuntime(LabDevice lab, IosXeSwitch sw, SshdInstance sshd)
    {
        public LabDevice Lab { get; } = lab;

        public IosXeSwitch Switch { get; } = sw;

        public SshdInstance Sshd { get; } = sshd;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public TelnetServer? Telnet { get; set; }

        public List<Blackhole> Blackholes { get; } = [];

        public SshdLogTail LogTail { get; } = new();

        /// <summary>The power state the namespace's link was last made to match.</summary>
        public IosXePower Power { get; set; } = IosXePower.Up;

        /// <summary>The management interface state the namespace's link (or, on loopback, the cut-off) was last made to match.</summary>
        public bool AppliedInterfaceUp { get; set; } = true;

        /// <summary>The routes the switch's namespace was last given (namespaced lab only).</summary>
        public IReadOnlyList<(string Prefix, int PrefixLength, string NextHop)> AppliedRoutes { get; set; } = [];

        /// <summary>The switch's listening ports the sockets were last made to match.</summary>
        public IReadOnlySet<int> AppliedPorts { get; set; } = new HashSet<int>();
    }
}
