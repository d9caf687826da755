using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Net;
using System.Text;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>How the lab's packets travel: all on one loopback (the original lab), or through network namespaces.</summary>
public enum LabNetworkMode
{
    /// <summary>Namespaces when this process can build them (root, CAP_NET_ADMIN, iproute2 and util-linux), else loopback (<see cref="LabNetworkDecision"/>).</summary>
    Auto,

    /// <summary>Every endpoint on 127.0.N.x in the namespace the lab was started from; reachability is emulated.</summary>
    Loopback,

    /// <summary>One network namespace per switch and one for the jump host's subnet, with kernel routes that follow the emulator (docs/LAB-NETWORK.md).</summary>
    Namespaces,
}

/// <summary>
/// The lab's L3 topology in network namespaces: the jump host's namespace (management subnet and the
/// core side), the aggregation switch's namespace (the management VLAN's bridge and gateway), one
/// namespace per access switch, and one veth into the namespace the lab was started from. Each
/// namespace is held by a process whose stdin is a pipe from the lab, so nothing is named globally
/// and the kernel destroys everything once the lab goes away.
/// </summary>
internal sealed class LabNetwork : IDisposable, IPhysicalNetwork
{
    public const string JumpNamespace = "jump";
    private const string AggregationVlanif = "Vlanif10";
    private const string AggregationUplink = "Vlanif100";

    private readonly Dictionary<string, Process> _holders = new(StringComparer.Ordinal);
    private readonly Topology _topology;
    private readonly string _run;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _applied = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _filterRules = new(StringComparer.Ordinal);
    private const int FilterPriority = 10;
    private const int LocalRulePriority = 100;
    private int _disposed;

    private LabNetwork(Topology topology, string run)
    {
        _topology = topology;
        _run = run;
    }

    /// <summary>The interface the lab adds to the namespace it was started from.</summary>
    public static string RootLinkName(int addressBlock) => string.Create(CultureInfo.InvariantCulture, $"nobj{addressBlock}");

    public static string PublishedJumpAddress(int addressBlock) => string.Create(CultureInfo.InvariantCulture, $"198.18.{addressBlock}.2");

    private static string RootSideAddress(int addressBlock) => string.Create(CultureInfo.InvariantCulture, $"198.18.{addressBlock}.1");

    /// <summary>Whether the caller's namespace has the link (read from /proc/self/net: /sys shows the namespace that mounted it).</summary>
    public static bool RootLinkExists(int addressBlock) =>
        File.ReadAllLines("/proc/self/net/dev").Any(l => l.TrimStart().StartsWith(RootLinkName(addressBlock) + ":", StringComparison.Ordinal));

    public IReadOnlyCollection<int> HolderPids => _holders.Values.Select(h => h.Id).ToList();

    public static async Task<LabNetwork> StartAsync(Topology topology, string run, CancellationToken ct)
    {
        var network = new LabNetwork(topology, run);
        try
        {
            await network.BuildAsync(ct).ConfigureAwait(false);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private string AggregationName => _topology.Devices.First(d => d.Gateway is null).Name;

    private static string PortName(LabDevice device) => "port" + device.ManagementIp[(device.ManagementIp.LastIndexOf('.') + 1)..];

    private async Task BuildAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.Combine(_run, "netns"));
        var names = new[] { JumpNamespace }.Concat(_topology.Devices.Select(d => d.Name)).ToList();
        foreach (var name in names)
        {
            _holders[name] = StartHolder(name);
        }

        foreach (var name in names)
        {
            await WaitForOwnNamespaceAsync(name, ct).ConfigureAwait(false);
        }

        var block = _topology.AddressBlock;
        var agg = AggregationName;
        var root = new StringBuilder();
        root.Append(CultureInfo.InvariantCulture, $"link add name {RootLinkName(block)} type veth peer name pub netns {Pid(JumpNamespace)}\n");
        root.Append(CultureInfo.InvariantCulture, $"link add name core0 netns {Pid(JumpNamespace)} type veth peer name {AggregationUplink} netns {Pid(agg)}\n");
        foreach (var d in _topology.Devices.Where(d => d.Gateway is not null))
        {
            root.Append(CultureInfo.InvariantCulture, $"link add name {PortName(d)} netns {Pid(agg)} type veth peer name {AggregationVlanif} netns {Pid(d.Name)}\n");
        }

        root.Append(CultureInfo.InvariantCulture, $"addr add {RootSideAddress(block)}/30 dev {RootLinkName(block)}\n");
        root.Append(CultureInfo.InvariantCulture, $"link set {RootLinkName(block)} up\n");
        // The connected route gets quickack: a forwarding-only OpenSSH login never sets TCP_NODELAY,
        // and with delayed ACKs every command would stall ~44 ms (research/ssh-lab, gotcha 13).
        root.Append(CultureInfo.InvariantCulture, $"route replace 198.18.{block}.0/30 dev {RootLinkName(block)} proto kernel scope link src {RootSideAddress(block)} quickack 1\n");
        await IpBatchAsync(null, root.ToString(), ct).ConfigureAwait(false);

        var jobs = new List<Task>
        {
            IpBatchAsync(JumpNamespace, $"""
                link set lo up
                route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1
                addr add {Topology.JumpHostManagementIp}/32 dev lo
                addr add {PublishedJumpAddress(block)}/30 dev pub
                link set pub up
                route replace 198.18.{block}.0/30 dev pub proto kernel scope link src {PublishedJumpAddress(block)} quickack 1
                ntable change name arp_cache dev core0 retrans 10000
                addr add 10.255.0.1/30 dev core0
                link set core0 up
                route add 10.12.0.0/24 via 10.255.0.2 src {Topology.JumpHostManagementIp} quickack 1

                """, ct),
        };

        // The gateway retries ARP every 10 s: an unanswered ARP turns into ICMP host-unreachable only
        // after 30 s, so a dead or shut switch looks the same to every probe (a timeout) instead of
        // racing Linux's 3 s default against the probe's own timeout. The jump host's uplink to the
        // gateway does the same for a powered-off gateway (the alert storm's gateway check).
        var aggBatch = new StringBuilder($"""
            link set lo up
            link add {AggregationVlanif} type bridge
            ntable change name arp_cache dev {AggregationVlanif} retrans 10000
            addr add 10.12.0.1/24 dev {AggregationVlanif}
            link set {AggregationVlanif} up
            addr add 10.255.0.2/30 dev {AggregationUplink}
            link set {AggregationUplink} up

            """);
        foreach (var d in _topology.Devices.Where(d => d.Gateway is not null))
        {
            aggBatch.Append(CultureInfo.InvariantCulture, $"link set {PortName(d)} master {AggregationVlanif} up\n");
        }

        var aggDevice = _topology.Devices.First(d => d.Gateway is null);
        aggBatch.Append(RoutesBatch(InitialRoutes(aggDevice)));
        jobs.Add(IpBatchAsync(agg, aggBatch.ToString(), ct, forwarding: true));
        _applied[agg] = Signature(linkUp: true, InitialRoutes(aggDevice)) + MgmtSignature(true, []);
        await Task.WhenAll(jobs).ConfigureAwait(false);

        // Access switches in parallel, a few at a time: each is one short nsenter + ip process.
        using var throttle = new SemaphoreSlim(8);
        foreach (var d in _topology.Devices.Where(d => d.Gateway is not null))
        {
            _applied[d.Name] = Signature(linkUp: true, InitialRoutes(d)) + MgmtSignature(true, []);
        }

        await Task.WhenAll(_topology.Devices.Where(d => d.Gateway is not null).Select(async d =>
        {
            await throttle.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await IpBatchAsync(d.Name, $"""
                    link set lo up
                    addr add {d.ManagementIp}/24 dev {AggregationVlanif}
                    link set {AggregationVlanif} up
                    rule add lookup local prio {LocalRulePriority}
                    rule del prio 0

                    """ + RoutesBatch(InitialRoutes(d)), ct).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        })).ConfigureAwait(false);

        var live = _topology.Devices.Where(d => d.Gateway is not null && d.Profile.PoweredOn && d.Profile.Interfaces.All(i => i.Name != AggregationVlanif || i.Up)).ToList();
        await WaitUntilForwardingAsync([.. live.Select(PortName)], ct).ConfigureAwait(false);
        await PrimeArpAsync(live, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The gateway learns each live switch's MAC, as the management VLAN's background chatter would teach it: one
    /// datagram each, checked. An ARP request lost at start (a bridge port not yet forwarding) would otherwise be
    /// retried only after the gateway's 10 s, and the switch looked dead meanwhile.
    /// </summary>
    private async Task PrimeArpAsync(IReadOnlyList<LabDevice> devices, CancellationToken ct)
    {
        var pending = devices.ToList();
        for (var attempt = 1; pending.Count > 0 && attempt <= 5; attempt++)
        {
            SendPrimingDatagrams(pending);
            await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct).ConfigureAwait(false);
            var resolved = RunInNamespace(AggregationName, "/usr/sbin/ip", "-o", "-4", "neigh", "show", "dev", AggregationVlanif)
                .Where(l => !l.Contains("INCOMPLETE", StringComparison.Ordinal) && !l.Contains("FAILED", StringComparison.Ordinal))
                .Select(l => l.Split(' ', 2)[0])
                .ToHashSet(StringComparer.Ordinal);
            pending = [.. pending.Where(d => !resolved.Contains(d.ManagementIp))];
            // An entry waiting out the 10 s retry: drop it so the next datagram asks again at once. Best effort (a
            // flush racing new packets may report an error): a failure here must never stop the switch's reconcile.
            foreach (var d in pending)
            {
                _ = RunInNamespace(AggregationName, "/usr/sbin/ip", "neigh", "flush", "to", d.ManagementIp, "dev", AggregationVlanif);
            }
        }
    }

    /// <summary>
    /// One UDP datagram from the gateway to each switch (discard port): the gateway ARPs for it and learns its MAC, as
    /// the management VLAN's background chatter would teach it.
    /// </summary>
    private void SendPrimingDatagrams(IEnumerable<LabDevice> devices) => RunInside(AggregationName, () =>
    {
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        foreach (var d in devices)
        {
            udp.SendTo([0], new IPEndPoint(IPAddress.Parse(d.ManagementIp), 9));
        }

        return 0;
    });

    /// <summary>The profile's routes, installed while the namespace is built so that start-up needs no second pass.</summary>
    private static List<(string Prefix, int Length, string NextHop)> InitialRoutes(LabDevice d) =>
        d.Profile.PoweredOn ? [.. d.Profile.StaticRoutes.Select(r => (r.Prefix, r.PrefixLength, r.NextHop))] : [];

    private static string Signature(bool linkUp, IEnumerable<(string Prefix, int Length, string NextHop)> routes) =>
        (linkUp ? "up|" : "down|") + string.Join(';', routes.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Prefix}/{r.Length}>{r.NextHop}")));

    private static string MgmtSignature(bool up, IEnumerable<(string Source, int PrefixLength, bool Permit)> filter) =>
        (up ? "|mgmt-up|" : "|mgmt-down|") + string.Join(';', filter.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Source}/{r.PrefixLength}:{r.Permit}")));

    private static string RoutesBatch(IEnumerable<(string Prefix, int Length, string NextHop)> routes)
    {
        var batch = new StringBuilder("route flush proto static\n");
        foreach (var (prefix, length, nextHop) in routes)
        {
            batch.Append(CultureInfo.InvariantCulture, $"route replace {prefix}/{length} via {nextHop} proto static\n");
        }

        return batch.ToString();
    }

    private Process StartHolder(string name)
    {
        // The trailing arguments only label the process: `lab down` after a crash finds it by the run directory.
        var psi = new ProcessStartInfo("/usr/bin/unshare", ["--net", "/bin/sh", "-c", "read x", "netopsbot-netns", Path.Combine(_run, "netns", name)])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return Process.Start(psi) ?? throw new LabException($"could not start the namespace holder for {name}");
    }

    /// <summary>
    /// unshare switches namespaces after it starts, so /proc/PID/ns/net briefly names ours: configuring
    /// it then would change the caller's network. Wait until the holder really has its own.
    /// </summary>
    private async Task WaitForOwnNamespaceAsync(string name, CancellationToken ct)
    {
        var own = new FileInfo("/proc/self/ns/net").LinkTarget;
        var holder = _holders[name];
        var sw = Stopwatch.StartNew();
        while (true)
        {
            string? target = null;
            try
            {
                target = new FileInfo(NamespacePath(name)).LinkTarget;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            if (target is not null && target != own)
            {
                return;
            }

            if (holder.HasExited || sw.Elapsed > TimeSpan.FromSeconds(10))
            {
                var err = holder.HasExited ? await holder.StandardError.ReadToEndAsync(ct).ConfigureAwait(false) : "timed out";
                throw new LabException($"could not create the network namespace for {name}: {err.Trim()} (the lab's network mode needs root and util-linux's unshare)");
            }

            await Task.Delay(2, ct).ConfigureAwait(false);
        }
    }

    private int Pid(string name) => _holders[name].Id;

    public string NamespacePath(string name) => string.Create(CultureInfo.InvariantCulture, $"/proc/{Pid(name)}/ns/net");

    /// <summary>The command prefix that runs a program inside a namespace; nsenter execs, so the PID is the program's.</summary>
    public IReadOnlyList<string> Enter(string name) => ["/usr/bin/nsenter", "--net=" + NamespacePath(name), "--"];

    private async Task IpBatchAsync(string? ns, string batch, CancellationToken ct, bool forwarding = false)
    {
        ProcessTools.Result r;
        if (ns is null)
        {
            r = await ProcessTools.RunAsync("/usr/sbin/ip", ["-batch", "-"], batch, ct).ConfigureAwait(false);
        }
        else
        {
            // /proc/sys/net belongs to the namespace of the process that opens it.
            var script = (forwarding ? "echo 1 > /proc/sys/net/ipv4/ip_forward && " : string.Empty) + "exec /usr/sbin/ip -batch -";
            r = await ProcessTools.RunAsync("/usr/bin/nsenter", ["--net=" + NamespacePath(ns), "--", "/bin/sh", "-c", script], batch, ct).ConfigureAwait(false);
        }

        if (r.ExitCode != 0)
        {
            throw new LabException($"configuring the lab network{(ns is null ? string.Empty : " in " + ns)} failed: {r.StdErr.Trim()}");
        }
    }

    /// <summary>Makes the namespace's static routes equal to the emulated ones and its link match the power state.</summary>
    public async Task ApplyAsync(
        LabDevice device,
        bool linkUp,
        IReadOnlyList<(string Prefix, int Length, string NextHop)> staticRoutes,
        (bool Up, IReadOnlyList<(string Source, int PrefixLength, bool Permit)> InboundFilter)? managementInterface,
        CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        var isAggregation = device.Gateway is null;
        var mgmt = managementInterface ?? (true, []);
        var signature = Signature(linkUp, staticRoutes) + MgmtSignature(mgmt.Up, mgmt.InboundFilter);
        // A powered-off switch is a dead link: the gateway's port loses carrier, so nothing answers ARP.
        var link = isAggregation ? AggregationUplink : PortName(device);
        var linkOwner = isAggregation ? device.Name : AggregationName;
        var linkBatch = string.Create(CultureInfo.InvariantCulture, $"link set {link} {(linkUp ? "up" : "down")}\n");

        bool cameUp;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_applied.TryGetValue(device.Name, out var last) && last == signature)
            {
                return;
            }

            cameUp = linkUp && (last is null || last.StartsWith("down|", StringComparison.Ordinal));
            if (last is null || last.StartsWith("up|", StringComparison.Ordinal) != linkUp)
            {
                await IpBatchAsync(linkOwner, linkBatch, ct).ConfigureAwait(false);
            }

            var own = new StringBuilder();
            if (!isAggregation)
            {
                own.Append(CultureInfo.InvariantCulture, $"link set {AggregationVlanif} {(mgmt.Up ? "up" : "down")}\n");
                _filterRules.TryGetValue(device.Name, out var previous);
                for (var i = 0; i < previous; i++)
                {
                    own.Append(CultureInfo.InvariantCulture, $"rule del prio {FilterPriority + i}\n");
                }

                // `traffic-filter inbound` as policy rules ahead of local delivery (this machine kind has
                // no netfilter or tc actions): a denied source is dropped on input, so no RST, no SYN-ACK.
                var n = 0;
                foreach (var (source, length, permit) in mgmt.InboundFilter)
                {
                    own.Append(CultureInfo.InvariantCulture, $"rule add from {source}/{length} iif {AggregationVlanif} prio {FilterPriority + n++} {(permit ? $"goto {LocalRulePriority}" : "blackhole")}\n");
                }

                _filterRules[device.Name] = n;
            }

            // Routes last: they need the interface up to be accepted.
            own.Append(RoutesBatch(mgmt.Up || isAggregation ? staticRoutes : []));
            await IpBatchAsync(device.Name, own.ToString(), ct).ConfigureAwait(false);
            _applied[device.Name] = signature;
        }
        finally
        {
            _gate.Release();
        }

        if (cameUp && !isAggregation)
        {
            // So `display arp` on the gateway shows the switch again. One datagram, not checked or repeated as at
            // start: waiting for the entry here delayed the switch's return (power-cycle and reboot tests).
            SendPrimingDatagrams([device]);
        }
    }

    public IReadOnlyList<NeighbourEntry> Neighbours(string device)
    {
        var entries = new List<NeighbourEntry>();
        foreach (var line in RunInNamespace(device, "/usr/sbin/ip", "-o", "-4", "neigh", "show"))
        {
            // 10.12.0.12 dev Vlanif10 lladdr 3a:5e:.. REACHABLE
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var dev = Array.IndexOf(t, "dev");
            var ll = Array.IndexOf(t, "lladdr");
            if (t.Length < 2 || dev < 0 || ll < 0 || ll + 1 >= t.Length || t[^1] is "FAILED" or "INCOMPLETE")
            {
                continue;
            }

            entries.Add(new NeighbourEntry(t[0], t[ll + 1], t[dev + 1]));
        }

        return entries;
    }

    public IReadOnlyList<TcpSocketEntry> TcpSockets(string device)
    {
        var sockets = new List<TcpSocketEntry>();
        foreach (var line in RunInNamespace(device, "/usr/bin/ss", "-H", "-t", "-a", "-n", "-4"))
        {
            // State Recv-Q Send-Q Local:Port Peer:Port
            var t = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length < 5 || t[0] is not ("LISTEN" or "ESTAB") || !SplitEndpoint(t[3], out var la, out var lp) || !SplitEndpoint(t[4], out var ra, out var rp))
            {
                continue;
            }

            sockets.Add(new TcpSocketEntry(la, lp, ra, rp, t[0] == "LISTEN"));
        }

        return sockets;

        static bool SplitEndpoint(string text, out string address, out int port)
        {
            var colon = text.LastIndexOf(':');
            address = colon > 0 ? text[..colon] : string.Empty;
            port = 0;
            return colon > 0 && (text[(colon + 1)..] == "*" || int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port));
        }
    }

    public bool Ping(string device, string target, string? source)
    {
        using var socket = RunInside(device, () => new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp));
        socket.ReceiveTimeout = 1000;
        var id = (ushort)Random.Shared.Next(1, 0xFFFF);
        var request = new byte[16];
        request[0] = 8;
        request[4] = (byte)(id >> 8);
        request[5] = (byte)id;
        request[7] = 1;
        var sum = 0;
        for (var i = 0; i < request.Length; i += 2)
        {
            sum += (request[i] << 8) | request[i + 1];
        }

        sum = (sum >> 16) + (sum & 0xFFFF);
        sum += sum >> 16;
        var checksum = (ushort)~sum;
        request[2] = (byte)(checksum >> 8);
        request[3] = (byte)checksum;
        try
        {
            if (source is not null)
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
            }

            var to = IPAddress.Parse(target);
            socket.SendTo(request, new IPEndPoint(to, 0));
            var buffer = new byte[1500];
            var deadline = Stopwatch.StartNew();
            while (deadline.ElapsedMilliseconds < 1000)
            {
                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var n = socket.ReceiveFrom(buffer, ref from);
                var header = (buffer[0] & 0x0F) * 4;
                if (n >= header + 8 && buffer[header] == 0 && ((buffer[header + 4] << 8) | buffer[header + 5]) == id && ((IPEndPoint)from).Address.Equals(to))
                {
                    return true;
                }
            }
        }
        catch (SocketException)
        {
            // No route (ENETUNREACH), no ARP answer (EHOSTUNREACH) or no reply in time.
        }

        return false;
    }

    /// <summary>
    /// Waits (up to 3 s) until the gateway's bridge forwards on <paramref name="ports"/>. A port whose link just came
    /// up stays "disabled" until the kernel's link watch has run, later under load; an ARP request broadcast before
    /// that is lost, and with the gateway's 10 s ARP retry the switch then looked dead for 10 s after its start.
    /// </summary>
    private async Task WaitUntilForwardingAsync(IReadOnlyCollection<string> ports, CancellationToken ct)
    {
        var deadline = Environment.TickCount64 + 3_000;
        while (true)
        {
            var forwarding = RunInNamespace(AggregationName, "/usr/sbin/ip", "-d", "-o", "link", "show", "master", AggregationVlanif)
                .Where(l => l.Contains("bridge_slave state forwarding", StringComparison.Ordinal))
                .Select(l => l.Split(':', 3) is { Length: 3 } f ? f[1].Trim().Split('@')[0] : string.Empty)
                .ToHashSet(StringComparer.Ordinal);
            if (ports.All(forwarding.Contains) || Environment.TickCount64 > deadline)
            {
                return;
            }

            await Task.Delay(20, ct).ConfigureAwait(false);
        }
    }

    private List<string> RunInNamespace(string device, string file, params string[] args)
    {
        var psi = new ProcessStartInfo("/usr/bin/nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--net=" + NamespacePath(device), "--", file }.Concat(args))
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new LabException($"could not run {file} in {device}");
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>Runs <paramref name="action"/> on a thread that has entered the namespace: sockets it creates live there.</summary>
    public T RunInside<T>(string name, Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var target = NamespacePath(name);
        var thread = new Thread(() =>
        {
            try
            {
                using var back = File.OpenHandle("/proc/thread-self/ns/net");
                using var into = File.OpenHandle(target);
                if (SetNs(into.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                {
                    throw new LabException($"setns into {name} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                try
                {
                    result = action();
                }
                finally
                {
                    _ = SetNs(back.DangerousGetHandle().ToInt32(), CloneNewNet);
                }
            }
            catch (Exception ex) when (ex is LabException or SocketException or IOException or UnauthorizedAccessException)
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw new LabException($"{name}: {error.Message}");
        }

        return result!;
    }

    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
#pragma warning disable CA5392, SYSLIB1054 // libc is resolved by the runtime's default probing on Linux
    private static extern int SetNs(int fd, int nstype);
#pragma warning restore CA5392, SYSLIB1054

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var holder in _holders.Values)
        {
            try
            {
                if (!holder.HasExited)
                {
                    holder.StandardInput.Close();
                }
            }
            catch (IOException)
            {
            }
        }

        foreach (var holder in _holders.Values)
        {
            if (!holder.WaitForExit(2000))
            {
                ProcessTools.Signal(holder.Id, force: true);
                holder.WaitForExit(1000);
            }

            holder.Dispose();
        }

        _holders.Clear();
        _gate.Dispose();
    }
}
