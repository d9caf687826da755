using System.Globalization;
using Microsoft.Extensions.Logging;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

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

        var existing = LabProvisioning.ReadPid(_run);
        if (existing is { } pid && ProcessTools.IsAlive(pid))
        {
            throw new LabException($"A lab is already running in {_run} (pid {pid}). Stop it with `netopsbot lab down`, or start another one with --run-dir DIR --address-block N.");
        }

        LogNetwork(_log, NetworkDecision.Mode == LabNetworkMode.Namespaces ? "namespaces" : "loopback", NetworkDecision.Reason);
        await LabHost.EnsureOpenSshAsync(progress, ct).ConfigureAwait(false);
        LabProvisioning.CheckAddressesFree(_topology);
        LabProvisioning.PrepareRunDirectory(_run);
        await File.WriteAllTextAsync(LabLayout.PidPath(_run), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);

        using (await GlobalLock.AcquireAsync(ct).ConfigureAwait(false))
        {
            _password = await LabHost.EnsureAccountsAsync(ct).ConfigureAwait(false);
            LabHost.Register(_run, Environment.ProcessId);
        }

        _dotnet = LabProvisioning.ResolveDotnet();
        LabProvisioning.InstallVtyShim(_run);
        await BuildNativeVtyShimAsync(ct).ConfigureAwait(false);
        var keys = LabProvisioning.GenerateKeysAsync(_topology, _run, ct);
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

        await LabClientFiles.WriteAsync(_topology, _run, _password, ct).ConfigureAwait(false);
        await WriteStatusAsync(ct).ConfigureAwait(false);
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


    private string ShimCommand => _nativeShim ?? $"{_dotnet} {Path.Combine(LabLayout.VtyDirectory(_run), "NetOpsBot.Lab.Vty.dll")}";

    /// <summary>The native shim unless the options ask for the .NET one; without a C compiler the .NET shim serves.</summary>
    private async Task BuildNativeVtyShimAsync(CancellationToken ct)
    {
        if (_options.DotNetVtyShim)
        {
            return;
        }

        var (binary, whyNot) = await LabProvisioning.BuildNativeVtyShimAsync(_run, ct).ConfigureAwait(false);
        if (whyNot is not null)
        {
            LogDotNetShim(_log, whyNot);
        }

        _nativeShim = binary;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "lab: device logins use the .NET VTY shim ({Reason}); each login costs ~80 ms of CPU more")]
    private static partial void LogDotNetShim(ILogger log, string reason);

    private string KeyPath(string name) => Path.Combine(LabLayout.KeysDirectory(_run), name);

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
