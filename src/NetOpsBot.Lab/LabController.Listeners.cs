using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>
/// The lab's real listeners: the jump host, the console server, and each VRP switch's sshd and Telnet server, made
/// to match the switch's emulated state whenever it changes (ports, host key, power, and in namespaces its routes).
/// </summary>
public sealed partial class LabController
{
    private string DeviceLoginConfig(string role) => SshdConfigs.DeviceLogin(role, ShimCommand, LabLayout.VtySocketPath(_run));

    /// <summary>Stops the jump host's sshd and its sessions, so tests can show a bastion outage (connect refused).</summary>
    public Task StopJumpHostAsync()
    {
        _jump?.Stop(killSessions: true);
        return Task.CompletedTask;
    }

    /// <summary>Starts the jump host again after <see cref="StopJumpHostAsync"/>, with the same keys and configuration.</summary>
    public Task StartJumpHostAsync() => StartJumpHostAsync(CancellationToken.None);

    private async Task StartJumpHostAsync(CancellationToken ct)
    {
        // sshd reads authorized_keys after dropping to the user, so the file must be readable by labjump.
        var jumpDir = Path.Combine(_run, "jump");
        Directory.CreateDirectory(jumpDir);
        File.SetUnixFileMode(jumpDir, (UnixFileMode)0x1ED);
        var authorized = Path.Combine(jumpDir, "authorized_keys");
        var pub = (await File.ReadAllTextAsync(KeyPath("bot_ed25519.pub"), ct).ConfigureAwait(false)).Trim();
        await File.WriteAllTextAsync(authorized, $"restrict,port-forwarding {pub}\n", ct).ConfigureAwait(false);
        var permitOpen = string.Join(' ', _topology.Devices.Select(d => $"{d.LabAddress}:*")
            .Concat(_topology.Devices.Select(d => SshdInstance.Endpoint(_topology.ConsoleServerAddress, d.ConsolePort))));
        var endpoint = SshdInstance.Endpoint(_topology.JumpHostAddress, Topology.JumpHostPort);
        var config = SshdConfigs.JumpHost(endpoint, KeyPath("jump_host_ed25519"), authorized, permitOpen);
        _jump = new SshdInstance("jump-host", Path.Combine(LabLayout.SshdDirectory(_run), "jump.conf"), Path.Combine(LabLayout.SshdDirectory(_run), "jump.log"), _net?.Enter(LabNetwork.JumpNamespace));
        await _jump.StartAsync(config, [endpoint], ct).ConfigureAwait(false);
    }

    private async Task StartConsoleServerAsync(CancellationToken ct)
    {
        // sshd accepts at most 16 listen sockets (MAX_LISTEN_SOCKS), so a big lab's console lines are
        // served by several sshd processes with the same host key: one console server to clients.
        var chunks = _topology.Devices.Chunk(16).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var endpoints = chunks[i].Select(d => SshdInstance.Endpoint(_topology.ConsoleServerAddress, d.ConsolePort)).ToList();
            var config = SshdConfigs.ConsoleServer(endpoints, KeyPath("console_host_ed25519"), DeviceLoginConfig("console"));
            var name = i == 0 ? "console" : string.Create(CultureInfo.InvariantCulture, $"console-{i}");
            // In namespaces the console server sits on the jump namespace's loopback: out of band, reachable
            // through the jump host whatever the switches' L3 state.
            var console = new SshdInstance(name, Path.Combine(LabLayout.SshdDirectory(_run), name + ".conf"), Path.Combine(LabLayout.SshdDirectory(_run), name + ".log"), _net?.Enter(LabNetwork.JumpNamespace));
            _consoles.Add(console);
            await console.StartAsync(config, endpoints, ct).ConfigureAwait(false);
        }
    }

    private Task ReconcileSafeAsync(DeviceRuntime runtime) => ReconcileSafeAsync(runtime.Lab.Name, ct => ReconcileAsync(runtime, ct));

    /// <summary>A state change's reconcile (VRP or IOS-XE): runs after the lab is disposed do nothing, failures are logged, not thrown.</summary>
    private async Task ReconcileSafeAsync(string device, Func<CancellationToken, Task> reconcile)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await reconcile(CancellationToken.None).ConfigureAwait(false);
            await WriteStatusAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LabException or IOException or SocketException)
        {
            LogReconcileFailed(_log, device, ex.Message);
        }
    }

    /// <summary>Makes the device's real sockets match its emulated state.</summary>
    private static readonly TimeSpan SessionCloseGrace = TimeSpan.FromMilliseconds(500);

    private async Task ReconcileAsync(DeviceRuntime runtime, CancellationToken ct)
    {
        await runtime.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            var device = runtime.Device;
            var lab = runtime.Lab;
            var mgmt = device.InterfaceState("Vlanif10");
            if (_net is not null)
            {
                // A rebooting switch closes its sessions before its ports go dark. The session that typed `reboot`
                // ends with a FIN that needs the link: dropped first, the client hears of the close only once the
                // switch is back, and a watch waiting for the reboot to take the switch down never sees it down.
                if (device.Power != PowerState.Up && runtime.Power == PowerState.Up)
                {
                    await Task.Delay(SessionCloseGrace, ct).ConfigureAwait(false);
                }

                await _net.ApplyAsync(lab, device.Power == PowerState.Up, device.ActiveStaticRoutes, mgmt, ct).ConfigureAwait(false);
            }

            // On loopback there is no interface to shut or filter: the jump host is cut off the way a
            // powered-off switch is (SYNs dropped), while the console keeps working.
            var cutOff = _net is null && mgmt is { } m && (!m.Up || DeniesJumpHost(m.InboundFilter));
            if (device.Power != PowerState.Up || cutOff)
            {
                runtime.Sshd.Stop(killSessions: false);
                runtime.SshPorts = [];
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

                runtime.Power = device.Power;
                return;
            }

            foreach (var b in runtime.Blackholes)
            {
                b.Dispose();
            }

            runtime.Blackholes.Clear();
            runtime.Power = PowerState.Up;

            var ports = device.ListeningTcpPorts;
            var sshPorts = ports.Where(p => p != 23).Order().ToList();
            var keyFile = device.SshHostKeyPresent
                ? await HostKeyForAsync(runtime, device.RsaPublicKeyFingerprint ?? string.Empty, ct).ConfigureAwait(false)
                : KeyPath("no_rsa_placeholder_ed25519");
            if (!sshPorts.SequenceEqual(runtime.SshPorts) || keyFile != runtime.KeyFile || runtime.Sshd.Pid is null != (sshPorts.Count == 0))
            {
                runtime.Sshd.Stop(killSessions: false);
                runtime.SshPorts = [];
                if (sshPorts.Count > 0)
                {
                    var endpoints = sshPorts.Select(p => SshdInstance.Endpoint(lab.LabAddress, p)).ToList();
                    var config = SshdConfigs.Device(endpoints, keyFile, DeviceLoginConfig("device"));
                    await runtime.Sshd.StartAsync(config, endpoints, ct).ConfigureAwait(false);
                    runtime.SshPorts = sshPorts;
                }

                runtime.KeyFile = keyFile;
            }

            var wantTelnet = ports.Contains(23);
            if (wantTelnet && runtime.Telnet is null)
            {
                TelnetServer Create() => new(lab.LabAddress, 23, remote => new VrpLabSession(OpenSession(runtime, SessionTransport.Telnet, remote.Address.ToString(), remote.Port, 23, "telnet")));
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

    private static bool DeniesJumpHost(IReadOnlyList<(string Source, int PrefixLength, bool Permit)> filter)
    {
        var jump = BitConverter.ToUInt32([.. IPAddress.Parse(Topology.JumpHostManagementIp).GetAddressBytes().Reverse()]);
        foreach (var (source, length, permit) in filter)
        {
            var net = BitConverter.ToUInt32([.. IPAddress.Parse(source).GetAddressBytes().Reverse()]);
            var mask = length == 0 ? 0u : uint.MaxValue << (32 - length);
            if ((jump & mask) == (net & mask))
            {
                return !permit;
            }
        }

        return false;
    }

    /// <summary>
    /// The first RSA key a device shows is the one pinned in known_hosts; a key the device creates
    /// later is new material, so a client that pinned the old one sees a host key mismatch.
    /// </summary>
    private async Task<string> HostKeyForAsync(DeviceRuntime runtime, string fingerprint, CancellationToken ct)
    {
        if (runtime.KeysByFingerprint.TryGetValue(fingerprint, out var path))
        {
            return path;
        }

        path = runtime.KeysByFingerprint.IsEmpty
            ? KeyPath($"{runtime.Lab.Name}_rsa_0")
            : KeyPath($"{runtime.Lab.Name}_rsa_{runtime.KeysByFingerprint.Count}");
        if (!File.Exists(path))
        {
            await LabProvisioning.KeygenAsync(path, "rsa", ct).ConfigureAwait(false);
        }

        runtime.KeysByFingerprint[fingerprint] = path;
        return path;
    }


    private sealed class DeviceRuntime(LabDevice lab, VrpDevice device, SshdInstance sshd)
    {
        public LabDevice Lab { get; } = lab;

        public VrpDevice Device { get; } = device;

        public SshdInstance Sshd { get; } = sshd;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public IReadOnlyList<int> SshPorts { get; set; } = [];

        public string? KeyFile { get; set; }

        public PowerState Power { get; set; }

        public TelnetServer? Telnet { get; set; }

        public List<Blackhole> Blackholes { get; } = [];

        public ConcurrentDictionary<string, string> KeysByFingerprint { get; } = new(StringComparer.Ordinal);

        public SshdLogTail LogTail { get; } = new();
    }
}
