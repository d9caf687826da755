using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

public sealed record LabOptions
{
    public required string RunDirectory { get; init; }

    public int AddressBlock { get; init; } = 1;

    public required Scenario Scenario { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Healthy access switches beyond the standard four (sw-access-15 and up), for load tests.</summary>
    public int ExtraAccessSwitches { get; init; }

    /// <summary>
    /// Use the .NET login shim even when a C compiler could build the native one (the native shim is the
    /// default: sshd starts one per login, and the .NET runtime's start-up cost the bot under test CPU).
    /// </summary>
    public bool DotNetVtyShim { get; init; }

    /// <summary>
    /// <see cref="LabNetworkMode.Namespaces"/> puts every switch and the jump host's subnet in network
    /// namespaces whose kernel routes follow the emulator (docs/LAB-NETWORK.md); needs root.
    /// <see cref="LabNetworkMode.Auto"/> (the default) takes them when this process can build them, else the loopback lab.
    /// </summary>
    public LabNetworkMode Network { get; init; } = LabNetworkMode.Auto;
}

/// <summary>
/// Runs one lab: the jump host, one sshd per simulated switch bound to the ports its emulated state
/// says, a console server, and the emulator that all device logins share. Device state changes
/// (a port change, a reboot, a new RSA key) are reconciled onto the real listeners.
/// </summary>
public sealed partial class LabController : IAsyncDisposable
{
    private readonly LabOptions _options;
    private readonly ILogger _log;
    private readonly Topology _topology;
    private readonly string _run;
    private readonly VrpNetwork _network;
    private readonly Dictionary<string, DeviceRuntime> _devices = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _disposables = [];
    private SshdInstance? _jump;
    private readonly List<SshdInstance> _consoles = [];
    private VtyServer? _vty;
    private LabNetwork? _net;
    private ITimer? _logTimer;
    private string _password = string.Empty;
    private string _dotnet = string.Empty;
    private string? _nativeShim;
    private DateTimeOffset _startedAt;
    private int _disposed;

    private LabController(LabOptions options, ILogger log)
    {
        _options = options;
        _log = log;
        _run = Path.GetFullPath(options.RunDirectory);
        NetworkDecision = LabNetworkDecision.Resolve(
            options.Network,
            options.Network == LabNetworkMode.Auto ? LabNetworkCapabilities.Probe() : new LabNetworkCapabilities(false, false, false, []));
        _topology = new Topology(options.AddressBlock, options.Scenario, options.ExtraAccessSwitches, NetworkDecision.Mode);
        // The jump host is the one management client outside the switches; pings to it work once a route exists.
        _network = new VrpNetwork(options.Time) { ManagementSubnetClients = [Topology.JumpHostManagementIp] };
    }

    public Topology Topology => _topology;

    /// <summary>The network this lab runs on and why (<see cref="LabOptions.Network"/> resolved).</summary>
    public LabNetworkDecision NetworkDecision { get; }

    public VrpNetwork Network => _network;

    /// <summary>The namespaces when the lab runs in them (tests connect from the jump host's namespace through it).</summary>
    internal LabNetwork? PhysicalNetwork => _net;

    /// <summary>
    /// The jump host's network namespace (<c>/proc/PID/ns/net</c>, what <c>nsenter --net=</c> takes) when the lab
    /// runs in namespaces, else null: a program run there sees the switches as the jump host does.
    /// </summary>
    public string? JumpNamespacePath => _net?.NamespacePath(LabNetwork.JumpNamespace);

    public string RunDirectory => _run;

    public static async Task<LabController> StartAsync(LabOptions options, ILogger log, Action<string> progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var lab = new LabController(options, log);
        try
        {
            await lab.StartCoreAsync(progress, ct).ConfigureAwait(false);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task StartCoreAsync(Action<string> progress, CancellationToken ct)
    {
        if (_run.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\' or '$' or '`'))
        {
            throw new LabException($"Run directory '{_run}' must not contain spaces or quotes: it is written into sshd configurations.");
        }

        var existing = ReadPid(_run);
        if (existing is { } pid && ProcessTools.IsAlive(pid))
        {
            throw new LabException($"A lab is already running in {_run} (pid {pid}). Stop it with `netopsbot lab down`, or start another one with --run-dir DIR --address-block N.");
        }

        LogNetwork(_log, NetworkDecision.Mode == LabNetworkMode.Namespaces ? "namespaces" : "loopback", NetworkDecision.Reason);
        await LabHost.EnsureOpenSshAsync(progress, ct).ConfigureAwait(false);
        CheckAddressesFree();
        PrepareRunDirectory();
        await File.WriteAllTextAsync(LabLayout.PidPath(_run), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);

        using (await GlobalLock.AcquireAsync(ct).ConfigureAwait(false))
        {
            _password = await LabHost.EnsureAccountsAsync(ct).ConfigureAwait(false);
            LabHost.Register(_run, Environment.ProcessId);
        }

        _dotnet = ResolveDotnet();
        InstallVtyShim();
        await BuildNativeVtyShimAsync(ct).ConfigureAwait(false);
        var keys = GenerateKeysAsync(ct);
        var net = _topology.Network == LabNetworkMode.Namespaces
            ? BuildNetworkAsync(progress, ct)
            : Task.FromResult<LabNetwork>(null!);
        try
        {
            await Task.WhenAll(keys, net).ConfigureAwait(false);
        }
        finally
        {
            if (net.IsCompletedSuccessfully)
            {
                _net = net.Result;
                // ARP, ping and the TCP table now come from the namespaces' kernels.
                _network.Physical = _net;
            }
        }

        var deviceUid = await LabHost.UserIdAsync(LabHost.DeviceUser, ct).ConfigureAwait(false) ?? throw new LabException("device account missing");
        _vty = new VtyServer(LabLayout.VtySocketPath(_run), new HashSet<int> { 0, deviceUid }, OpenVtySession, FaultFor, _log);

        foreach (var d in _topology.Devices)
        {
            if (d.IosXe is { } iosXe)
            {
                AddIosXeDevice(d, iosXe);
                continue;
            }

            var device = _network.Add(d.Profile);
            var runtime = new DeviceRuntime(d, device, new SshdInstance(d.Name, Path.Combine(LabLayout.SshdDirectory(_run), d.Name + ".conf"), Path.Combine(LabLayout.SshdDirectory(_run), d.Name + ".log"), _net?.Enter(d.Name)));
            _devices[d.Name] = runtime;
        }

        _startedAt = _options.Time.GetUtcNow();
        var starts = new List<Task> { StartJumpHostAsync(ct), StartConsoleServerAsync(ct) };
        starts.AddRange(_devices.Values.Select(r => ReconcileAsync(r, ct)));
        starts.AddRange(ReconcileIosXeDevices(ct));
        await Task.WhenAll(starts).ConfigureAwait(false);

        foreach (var runtime in _devices.Values)
        {
            runtime.Device.StateChanged += (_, _) => _ = ReconcileSafeAsync(runtime);
        }

        WatchIosXeDevices();

        // Reconcile once more in case state moved while listeners were starting (e.g. boot timers).
        await Task.WhenAll(_devices.Values.Select(r => ReconcileAsync(r, ct)).Concat(ReconcileIosXeDevices(ct))).ConfigureAwait(false);

        await WriteClientFilesAsync(ct).ConfigureAwait(false);
        _logTimer = _options.Time == TimeProvider.System
            ? TimeProvider.System.CreateTimer(_ => PollAllSshdLogs(), null, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20))
            : new Timer(_ => PollAllSshdLogs(), null, 20, 20);
        LogStarted(_log, _options.Scenario.Name, _run);
    }

    private async Task<LabNetwork> BuildNetworkAsync(Action<string> progress, CancellationToken ct)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var net = await LabNetwork.StartAsync(_topology, _run, ct).ConfigureAwait(false);
        progress(string.Create(CultureInfo.InvariantCulture, $"Network: {_topology.Devices.Count + 1} namespaces, jump host published on {_topology.JumpHostAddress} ({sw.ElapsedMilliseconds} ms)"));
        return net;
    }

    private static int? ReadPid(string run)
    {
        var path = LabLayout.PidPath(run);
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private void CheckAddressesFree()
    {
        if (_topology.Network == LabNetworkMode.Namespaces)
        {
            // Every other endpoint lives in the lab's own namespaces; only the published link can clash.
            if (LabNetwork.RootLinkExists(_topology.AddressBlock))
            {
                // Said like the loopback lab's clash (what is in use, by whom, what to do); the interface name is the evidence.
                throw new LabException(
                    $"Address block {_topology.AddressBlock} is already in use: the jump host's published address {_topology.JumpHostAddress} belongs to another lab " +
                    $"(its interface {LabNetwork.RootLinkName(_topology.AddressBlock)} exists in this network namespace). Start this lab with --address-block N.");
            }

            return;
        }

        var endpoints = new List<(string Address, int Port, string What)> { (_topology.JumpHostAddress, Topology.JumpHostPort, "jump host") };
        endpoints.AddRange(_topology.Devices.SelectMany(d => new[] { d.SshPort }.Concat(d.AlternatePorts).Select(p => (d.LabAddress, p, d.Name))));
        endpoints.AddRange(_topology.Devices.Select(d => (_topology.ConsoleServerAddress, d.ConsolePort, "console server")));
        foreach (var (address, port, what) in endpoints)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                probe.Bind(new IPEndPoint(IPAddress.Parse(address), port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                throw new LabException(
                    $"{address}:{port} ({what}) is already in use. Another lab on address block {_topology.AddressBlock}, or a host sshd listening on 0.0.0.0:{port}, would answer where the lab must refuse. " +
                    "Start this lab with --address-block N, or run it in its own network namespace (scripts/test.sh does).");
            }
        }
    }

    private void PrepareRunDirectory()
    {
        if (Directory.Exists(_run))
        {
            Directory.Delete(_run, recursive: true);
        }

        Directory.CreateDirectory(_run);
        // The device account must reach the VTY socket and shim; nothing else here is for it.
        File.SetUnixFileMode(_run, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        foreach (var dir in new[] { LabLayout.KeysDirectory(_run), LabLayout.SshdDirectory(_run) })
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // Parent directories must be traversable by the device account too (e.g. a test's temp dir).
        for (var dir = Path.GetDirectoryName(_run); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if ((mode & UnixFileMode.OtherExecute) == 0)
            {
                throw new LabException($"The lab's device account cannot reach {_run}: {dir} is not traversable by others. Choose a run directory under /tmp or /var.");
            }
        }
    }

    private static string ResolveDotnet()
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("DOTNET_HOST_PATH"),
            Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : null,
            ProcessTools.Which("dotnet", "/usr/share/dotnet", "/usr/lib/dotnet"),
        };
        foreach (var c in candidates)
        {
            if (!string.IsNullOrEmpty(c) && File.Exists(c))
            {
                var real = new FileInfo(c).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? c;
                return real;
            }
        }

        throw new LabException("Cannot find the dotnet host to run the VTY shim.");
    }

    private void InstallVtyShim()
    {
        // The shim runs as the device account, which cannot read a checkout under /root; give it a copy.
        var target = LabLayout.VtyDirectory(_run);
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
        foreach (var name in new[] { "NetOpsBot.Lab.Vty.dll", "NetOpsBot.Lab.Vty.runtimeconfig.json", "NetOpsBot.Lab.Vty.deps.json" })
        {
            var source = Path.Combine(AppContext.BaseDirectory, name);
            if (!File.Exists(source))
            {
                if (name.EndsWith("deps.json", StringComparison.Ordinal))
                {
                    continue;
                }

                throw new LabException($"VTY shim file {name} is missing next to the lab ({AppContext.BaseDirectory}); rebuild the solution.");
            }

            var dest = Path.Combine(target, name);
            File.Copy(source, dest, overwrite: true);
            File.SetUnixFileMode(dest, (UnixFileMode)0x1A4);
        }
    }

    private string ShimCommand => _nativeShim ?? $"{_dotnet} {Path.Combine(LabLayout.VtyDirectory(_run), "NetOpsBot.Lab.Vty.dll")}";

    /// <summary>Compiles VtyShim/netopsbot-vty.c into the run directory; without a C compiler the .NET shim serves.</summary>
    private async Task BuildNativeVtyShimAsync(CancellationToken ct)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "VtyShim", "netopsbot-vty.c");
        var compiler = ProcessTools.Which("cc") ?? ProcessTools.Which("gcc");
        if (_options.DotNetVtyShim || !File.Exists(source) || compiler is null)
        {
            if (!_options.DotNetVtyShim)
            {
                LogDotNetShim(_log, compiler is null ? "no C compiler (cc/gcc) found" : "VtyShim/netopsbot-vty.c is missing next to the lab");
            }

            return;
        }

        var binary = Path.Combine(LabLayout.VtyDirectory(_run), "netopsbot-vty");
        var result = await ProcessTools.RunAsync(compiler, ["-O2", "-o", binary, source], ct: ct).ConfigureAwait(false);
        if (result.ExitCode != 0 || !File.Exists(binary))
        {
            LogDotNetShim(_log, "compiling the native shim failed: " + (result.StdErr + result.StdOut).Trim());
            return;
        }

        File.SetUnixFileMode(binary, (UnixFileMode)0x1ED);
        _nativeShim = binary;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "lab: device logins use the .NET VTY shim ({Reason}); each login costs ~80 ms of CPU more")]
    private static partial void LogDotNetShim(ILogger log, string reason);

    private string KeyPath(string name) => Path.Combine(LabLayout.KeysDirectory(_run), name);

    private static async Task KeygenAsync(string path, string type, CancellationToken ct)
    {
        string[] args = type == "rsa"
            ? ["-q", "-t", "rsa", "-b", "2048", "-N", "", "-C", "netopsbot-lab", "-f", path]
            : ["-q", "-t", "ed25519", "-N", "", "-C", "netopsbot-lab", "-f", path];
        await ProcessTools.RunCheckedAsync("/usr/bin/ssh-keygen", args, ct: ct).ConfigureAwait(false);
    }

    private async Task GenerateKeysAsync(CancellationToken ct)
    {
        var jobs = new List<Task>
        {
            KeygenAsync(KeyPath("jump_host_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("bot_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("console_host_ed25519"), "ed25519", ct),
            KeygenAsync(KeyPath("no_rsa_placeholder_ed25519"), "ed25519", ct),
        };
        jobs.AddRange(_topology.Devices.Select(d => KeygenAsync(KeyPath($"{d.Name}_rsa_0"), "rsa", ct)));
        await Task.WhenAll(jobs).ConfigureAwait(false);
    }

    private const string CommonSshd = """
        UsePAM no
        StrictModes no
        PermitRootLogin no
        X11Forwarding no
        AllowAgentForwarding no
        PermitTunnel no
        GatewayPorts no
        PrintMotd no
        PrintLastLog no
        Compression no
        LogLevel VERBOSE
        MaxStartups 64:30:128
        LoginGraceTime 30
        ClientAliveInterval 0

        """;

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
        var config = $"""
            ListenAddress {endpoint}
            HostKey {KeyPath("jump_host_ed25519")}
            PidFile none
            {CommonSshd}
            AllowUsers {LabHost.JumpUser}
            AuthenticationMethods publickey
            PubkeyAuthentication yes
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            AuthorizedKeysFile {authorized}
            PermitTTY no
            ForceCommand /bin/false
            MaxSessions 0
            AllowTcpForwarding local
            AllowStreamLocalForwarding no
            PermitOpen {permitOpen}

            """;
        _jump = new SshdInstance("jump-host", Path.Combine(LabLayout.SshdDirectory(_run), "jump.conf"), Path.Combine(LabLayout.SshdDirectory(_run), "jump.log"), _net?.Enter(LabNetwork.JumpNamespace));
        await _jump.StartAsync(config, [endpoint], ct).ConfigureAwait(false);
    }

    private string DeviceLoginConfig(string role) => $"""
        AllowUsers {LabHost.DeviceUser}
        PubkeyAuthentication no
        PasswordAuthentication yes
        KbdInteractiveAuthentication no
        PermitEmptyPasswords no
        AuthorizedKeysFile none
        AllowTcpForwarding no
        AllowStreamLocalForwarding no
        MaxSessions 10
        ForceCommand {ShimCommand}
        SetEnv NETOPSBOT_LAB_SOCKET={LabLayout.VtySocketPath(_run)} NETOPSBOT_LAB_ROLE={role}

        """;

    private async Task StartConsoleServerAsync(CancellationToken ct)
    {
        // sshd accepts at most 16 listen sockets (MAX_LISTEN_SOCKS), so a big lab's console lines are
        // served by several sshd processes with the same host key: one console server to clients.
        var chunks = _topology.Devices.Chunk(16).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            var endpoints = chunks[i].Select(d => SshdInstance.Endpoint(_topology.ConsoleServerAddress, d.ConsolePort)).ToList();
            var config = string.Join(string.Empty, endpoints.Select(e => $"ListenAddress {e}\n")) + $"""
                HostKey {KeyPath("console_host_ed25519")}
                PidFile none
                {CommonSshd}
                {DeviceLoginConfig("console")}
                """;
            var name = i == 0 ? "console" : string.Create(CultureInfo.InvariantCulture, $"console-{i}");
            // In namespaces the console server sits on the jump namespace's loopback: out of band, reachable
            // through the jump host whatever the switches' L3 state.
            var console = new SshdInstance(name, Path.Combine(LabLayout.SshdDirectory(_run), name + ".conf"), Path.Combine(LabLayout.SshdDirectory(_run), name + ".log"), _net?.Enter(LabNetwork.JumpNamespace));
            _consoles.Add(console);
            await console.StartAsync(config, endpoints, ct).ConfigureAwait(false);
        }
    }

    private async Task ReconcileSafeAsync(DeviceRuntime runtime)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        try
        {
            await ReconcileAsync(runtime, CancellationToken.None).ConfigureAwait(false);
            await WriteStatusAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LabException or IOException or SocketException)
        {
            LogReconcileFailed(_log, runtime.Lab.Name, ex.Message);
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
                    // Without an RSA key pair VRP cannot complete a key exchange; offering only RSA host
                    // key algorithms with no RSA key loaded makes the real sshd fail the handshake the same way.
                    var config = string.Join(string.Empty, endpoints.Select(e => $"ListenAddress {e}\n")) + $"""
                        HostKey {keyFile}
                        HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256
                        PidFile none
                        {CommonSshd}
                        {DeviceLoginConfig("device")}
                        """;
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
            await KeygenAsync(path, "rsa", ct).ConfigureAwait(false);
        }

        runtime.KeysByFingerprint[fingerprint] = path;
        return path;
    }

    /// <summary>The scenario's broken-CLI fault for the device under test, whatever the login path.</summary>
    private string? FaultFor(VtyHello hello) =>
        _options.Scenario.Device.CliFault is { } fault && ResolveDevice(hello)?.Lab.Name == Topology.DeviceUnderTest ? fault : null;

    private DeviceRuntime? ResolveDevice(VtyHello hello)
    {
        var parts = (hello.SshConnection ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var serverPort))
        {
            return null;
        }

        return hello.Role == "console"
            ? _devices.Values.FirstOrDefault(r => r.Lab.ConsolePort == serverPort)
            : _devices.Values.FirstOrDefault(r => r.Lab.LabAddress == parts[2]);
    }

    private ILabCliSession? OpenVtySession(VtyHello hello)
    {
        if (IsIosXeLogin(hello))
        {
            return OpenIosXeVtySession(hello);
        }

        // SSH_CONNECTION = "client_ip client_port server_ip server_port", set by sshd itself.
        var parts = (hello.SshConnection ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (ResolveDevice(hello) is not { } runtime || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clientPort))
        {
            return null;
        }

        var transport = hello.Role == "console" ? SessionTransport.Console : SessionTransport.Ssh;
        return new VrpLabSession(OpenSession(runtime, transport, parts[0], clientPort, int.Parse(parts[3], CultureInfo.InvariantCulture), hello.User ?? LabHost.DeviceUser));
    }

    private VrpSession OpenSession(DeviceRuntime runtime, SessionTransport transport, string clientAddress, int clientPort, int serverPort, string user)
    {
        var origin = new SessionOrigin(transport, _topology.ToEmulatedAddress(clientAddress), clientPort, serverPort, user);
        LogSession(_log, runtime.Lab.Name, transport, origin.ClientAddress, serverPort);
        return runtime.Device.OpenSession(origin);
    }

    [GeneratedRegex(@"Connection from (?<client>\S+) port (?<cport>\d+) on (?<server>\S+) port (?<sport>\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionLine();

    /// <summary>Feeds sshd's own connection log into the emulator, so SSH debugging shows only attempts that really reached the listener.</summary>
    private void PollSshdLogs()
    {
        foreach (var runtime in _devices.Values)
        {
            var path = runtime.Sshd.LogPath;
            try
            {
                if (!File.Exists(path))
                {
                    continue;
                }

                using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                if (fs.Length <= runtime.LogOffset)
                {
                    continue;
                }

                fs.Seek(runtime.LogOffset, SeekOrigin.Begin);
                var buffer = new byte[fs.Length - runtime.LogOffset];
                var read = fs.Read(buffer, 0, buffer.Length);
                var text = Encoding.UTF8.GetString(buffer, 0, read);
                var lastNewline = text.LastIndexOf('\n');
                if (lastNewline < 0)
                {
                    continue;
                }

                runtime.LogOffset += Encoding.UTF8.GetByteCount(text.AsSpan(0, lastNewline + 1));
                foreach (Match m in ConnectionLine().Matches(text[..(lastNewline + 1)]))
                {
                    var device = runtime.Device;
                    var outcome = device.SshHostKeyPresent ? "connected" : "kex-failed";
                    device.ReportSshConnectionAttempt(new SshConnectionAttempt(
                        _topology.ToEmulatedAddress(m.Groups["client"].Value),
                        int.Parse(m.Groups["cport"].Value, CultureInfo.InvariantCulture),
                        int.Parse(m.Groups["sport"].Value, CultureInfo.InvariantCulture),
                        outcome));
                }
            }
            catch (IOException)
            {
                // Log rotation or a restart in progress; the next tick catches up.
            }
        }
    }

    private async Task WriteClientFilesAsync(CancellationToken ct)
    {
        var known = new StringBuilder();
        string KeyText(string file) => string.Join(' ', File.ReadAllText(file + ".pub").Trim().Split(' ').Take(2));
        known.Append(CultureInfo.InvariantCulture, $"[{_topology.JumpHostAddress}]:{Topology.JumpHostPort} {KeyText(KeyPath("jump_host_ed25519"))}\n");
        foreach (var d in _topology.Devices)
        {
            known.Append(CultureInfo.InvariantCulture, $"[{_topology.ConsoleServerAddress}]:{d.ConsolePort} {KeyText(KeyPath("console_host_ed25519"))}\n");
            var deviceKey = KeyText(KeyPath($"{d.Name}_rsa_0"));
            foreach (var port in new[] { d.SshPort }.Concat(d.AlternatePorts).Where(p => p != 23).Distinct())
            {
                known.Append(port == 22 ? $"{d.LabAddress} {deviceKey}\n" : string.Create(CultureInfo.InvariantCulture, $"[{d.LabAddress}]:{port} {deviceKey}\n"));
            }
        }

        await File.WriteAllTextAsync(LabLayout.KnownHostsPath(_run), known.ToString(), ct).ConfigureAwait(false);
        File.SetUnixFileMode(LabLayout.KnownHostsPath(_run), (UnixFileMode)0x1A4);

        // A ready-made OpenSSH client config: `ssh -F <run>/ssh_config sw-access-12` goes through the jump
        // host with strict checking against the lab's known_hosts.
        var sshConfig = new StringBuilder();
        sshConfig.Append(CultureInfo.InvariantCulture, $"""
            Host lab-jump
              HostName {_topology.JumpHostAddress}
              Port {Topology.JumpHostPort}
              User {LabHost.JumpUser}
              IdentityFile {KeyPath("bot_ed25519")}
              IdentitiesOnly yes
              BatchMode yes
              UserKnownHostsFile {LabLayout.KnownHostsPath(_run)}
              StrictHostKeyChecking yes
              GlobalKnownHostsFile /dev/null

            Host lab-console
              HostName {_topology.ConsoleServerAddress}
              User {LabHost.DeviceUser}
              ProxyJump lab-jump
              UserKnownHostsFile {LabLayout.KnownHostsPath(_run)}
              StrictHostKeyChecking yes
              GlobalKnownHostsFile /dev/null
              PubkeyAuthentication no
              PreferredAuthentications password


            """);
        foreach (var d in _topology.Devices)
        {
            sshConfig.Append(CultureInfo.InvariantCulture, $"""
                Host {d.Name} {d.LabAddress}
                  HostName {d.LabAddress}
                  User {LabHost.DeviceUser}
                  ProxyJump lab-jump
                  UserKnownHostsFile {LabLayout.KnownHostsPath(_run)}
                  StrictHostKeyChecking yes
                  GlobalKnownHostsFile /dev/null
                  HostKeyAlgorithms rsa-sha2-512,rsa-sha2-256
                  PubkeyAuthentication no
                  PreferredAuthentications password


                """);
        }

        await File.WriteAllTextAsync(LabLayout.SshConfigPath(_run), sshConfig.ToString(), ct).ConfigureAwait(false);

        var inventory = new
        {
            site = "lab",
            managementSubnet = Topology.ManagementSubnet,
            jumpHosts = new[]
            {
                new { name = "lab-jump", address = _topology.JumpHostAddress, port = Topology.JumpHostPort, user = LabHost.JumpUser, keyFile = KeyPath("bot_ed25519"), managementIp = Topology.JumpHostManagementIp },
            },
            consoleServers = new[] { new { name = "lab-console", address = _topology.ConsoleServerAddress, credential = "lab-device" } },
            devices = _topology.Devices.Select(d => new
            {
                name = d.Name,
                platform = d.Platform,
                role = d.Role,
                managementAddress = d.LabAddress,
                managementIp = d.ManagementIp,
                sshPort = d.SshPort,
                alternatePorts = d.AlternatePorts,
                gateway = d.Gateway,
                jumpHost = "lab-jump",
                console = new { server = "lab-console", port = d.ConsolePort },
                credential = "lab-device",
            }),
        };
        await File.WriteAllTextAsync(LabLayout.InventoryPath(_run), JsonSerializer.Serialize(inventory, LabStatus.Json), ct).ConfigureAwait(false);

        var credentials = new Dictionary<string, object> { ["lab-device"] = new { user = LabHost.DeviceUser, password = _password } };
        // Created 0600 (the host refuses a looser credentials file); writing first and chmod-ing after would leave
        // the file at the umask's mode for a moment. The chmod covers a file left by an older lab.
        var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var stream = new FileStream(LabLayout.CredentialsPath(_run), new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = owner });
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, credentials, LabStatus.Json, ct).ConfigureAwait(false);
        }

        File.SetUnixFileMode(LabLayout.CredentialsPath(_run), owner);
        await WriteStatusAsync(ct).ConfigureAwait(false);
    }

    private readonly SemaphoreSlim _statusGate = new(1, 1);

    private async Task WriteStatusAsync(CancellationToken ct)
    {
        var status = CurrentStatus();
        await _statusGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var path = LabLayout.StatusPath(_run);
            var tmp = path + ".tmp";
            await File.WriteAllTextAsync(tmp, JsonSerializer.Serialize(status, LabStatus.Json), ct).ConfigureAwait(false);
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            _statusGate.Release();
        }
    }

    public LabStatus CurrentStatus() => new()
    {
        RunDirectory = _run,
        Pid = Environment.ProcessId,
        Running = true,
        Scenario = _options.Scenario.Name,
        ScenarioDescription = _options.Scenario.Description,
        StartedAt = _startedAt,
        Network = _topology.Network == LabNetworkMode.Namespaces ? "namespaces" : "loopback",
        NetworkReason = NetworkDecision.Reason,
        JumpHost = new JumpHostInfo(_topology.JumpHostAddress, Topology.JumpHostPort, LabHost.JumpUser, KeyPath("bot_ed25519"), Topology.JumpHostManagementIp),
        KnownHosts = LabLayout.KnownHostsPath(_run),
        SshConfig = LabLayout.SshConfigPath(_run),
        Inventory = LabLayout.InventoryPath(_run),
        ConsoleServer = new ConsoleServerInfo(_topology.ConsoleServerAddress, LabHost.DeviceUser, _password),
        Devices = _devices.Values.Select(r => new DeviceInfo(
            r.Lab.Name,
            r.Lab.Role,
            r.Lab.LabAddress,
            r.Lab.ManagementIp,
            r.Device.Power == PowerState.Up ? [.. r.Device.ListeningTcpPorts.Order()] : [],
            r.Device.Power.ToString().ToLowerInvariant(),
            LabHost.DeviceUser,
            _password,
            r.Lab.ConsolePort)).Concat(IosXeDeviceStatus()).ToList(),
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_logTimer is not null)
        {
            await _logTimer.DisposeAsync().ConfigureAwait(false);
        }

        _vty?.Dispose();
        foreach (var runtime in _devices.Values)
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

        await DisposeIosXeDevicesAsync().ConfigureAwait(false);
        _jump?.Dispose();
        foreach (var console in _consoles)
        {
            console.Dispose();
        }
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        // After every sshd inside them is gone, so the kernel destroys the namespaces and their links.
        _net?.Dispose();

        try
        {
            using (await GlobalLock.AcquireAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await LabHost.UnregisterAsync(_run, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or LabException)
        {
            LogCleanupFailed(_log, ex.Message);
        }

        if (Directory.Exists(_run))
        {
            Directory.Delete(_run, recursive: true);
        }

        _statusGate.Dispose();
        LogStopped(_log, _run);
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

        public long LogOffset { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lab network: {Mode} ({Reason})")]
    private static partial void LogNetwork(ILogger log, string mode, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lab started with scenario {Scenario} in {RunDirectory}")]
    private static partial void LogStarted(ILogger log, string scenario, string runDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lab in {RunDirectory} stopped and cleaned up")]
    private static partial void LogStopped(ILogger log, string runDirectory);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Device}: {Transport} login from {Client} on port {Port}")]
    private static partial void LogSession(ILogger log, string device, SessionTransport transport, string client, int port);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Device}: could not apply the device state to its listeners: {Reason}")]
    private static partial void LogReconcileFailed(ILogger log, string device, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lab cleanup: {Reason}")]
    private static partial void LogCleanupFailed(ILogger log, string reason);
}

/// <summary>Serialises account changes between labs on one machine (useradd and chpasswd are not concurrent-safe).</summary>
internal static class GlobalLock
{
    private const string LockPath = "/run/netopsbot-lab.lock";

    public static async Task<IDisposable> AcquireAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(25, ct).ConfigureAwait(false);
            }
        }
    }
}
