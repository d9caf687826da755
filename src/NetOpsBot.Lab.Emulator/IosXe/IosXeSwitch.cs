using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace NetOpsBot.Lab.Emulator.IosXe;

public enum IosXePower
{
    Up,
    Rebooting,
    Off,
}

/// <summary>
/// One emulated Cisco IOS-XE switch shared by all of its sessions: running and startup configuration, RSA key,
/// listeners, debug subscribers and boot state. Every field is guarded by <see cref="Gate"/>; session output and
/// events are raised after the lock is released. It shares no code with the product's IOS-XE parsers: its text
/// is checked against real samples, so a parser bug and an emulator bug cannot cancel out.
/// </summary>
public sealed class IosXeSwitch
{
    private readonly List<IosXeCliSession> _sessions = [];
    private readonly Func<string, bool> _alive;
    private IosXePower _power;
    private ITimer? _bootTimer;
    private bool _sshListenerStuck;
    private int _nextTty = 1;

    public IosXeSwitch(IosXeSwitchProfile profile, TimeProvider? time = null, Func<string, bool>? neighbourAlive = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Profile = profile;
        Time = time ?? TimeProvider.System;
        _alive = neighbourAlive ?? (ip => profile.Neighbours.Any(n => n.Address == ip));
        Running = IosXeConfig.FromProfile(profile);
        Saved = Running.Clone();
        _power = profile.PoweredOn ? IosXePower.Up : IosXePower.Off;
        _sshListenerStuck = profile.SshListenerStuck;
        BootedAt = Time.GetUtcNow();
        if (profile.RsaKeyPresent)
        {
            GenerateKey(profile.RsaKeyBits);
        }
    }

    public event EventHandler? StateChanged;

    public string Name => Profile.Hostname;

    /// <summary>
    /// The real IP stack behind the switch when the lab runs one (network namespaces, addressed by the profile's
    /// hostname): "show arp" and "ping" then read it, as VRP's "display arp" and "ping" do, so neither can claim what
    /// the switch's kernel could not have done. Null on the loopback lab, where both are worked out from the state.
    /// </summary>
    public IPhysicalNetwork? Physical { get; set; }

    /// <summary>Whether the management interface is up (not "shutdown"): the lab's link follows it in namespaces.</summary>
    public bool ManagementInterfaceUp
    {
        get
        {
            lock (Gate)
            {
                return !Running.InterfaceShutdown;
            }
        }
    }

    public IosXePower Power
    {
        get
        {
            lock (Gate)
            {
                return _power;
            }
        }
    }

    /// <summary>TCP ports the switch accepts on now: 22 while SSH runs (an RSA key exists, the listener not stuck), 23 while a VTY line takes telnet.</summary>
    public IReadOnlySet<int> ListeningTcpPorts
    {
        get
        {
            lock (Gate)
            {
                return ListeningTcpPortsLocked();
            }
        }
    }

    /// <summary>Whether a VTY session from <paramref name="clientAddress"/> over <paramref name="transport"/> ("ssh"/"telnet") would be admitted.</summary>
    public bool AdmitsVty(string clientAddress, string transport)
    {
        lock (Gate)
        {
            return _power == IosXePower.Up && Running.Vty.Any(v => (v.Transport.Contains(transport) || v.Transport.Contains("all")) && AclPermits(v.AccessClassIn, clientAddress));
        }
    }

    internal IReadOnlySet<int> ListeningTcpPortsLocked()
    {
        var ports = new SortedSet<int>();
        if (_power != IosXePower.Up)
        {
            return ports;
        }

        if (SshEnabled && !_sshListenerStuck)
        {
            ports.Add(22);
        }

        if (Running.Vty.Any(v => v.Transport.Contains("telnet") || v.Transport.Contains("all")))
        {
            ports.Add(23);
        }

        return ports;
    }

    /// <summary>
    /// The static routes IOS installs now, as (prefix, length, next hop): none while the switch is not up, and only
    /// those whose next hop is on the connected subnet (IOS keeps an unresolvable static out of the routing table).
    /// </summary>
    public IReadOnlyList<(string Prefix, int PrefixLength, string NextHop)> ActiveStaticRoutes
    {
        get
        {
            lock (Gate)
            {
                if (_power != IosXePower.Up || Running.InterfaceShutdown)
                {
                    return [];
                }

                var connected = Length(Running.Mask);
                return [.. Running.Statics
                    .Where(s => IPAddress.TryParse(s.NextHop, out var hop) && SameNet(hop, Running.Address, connected))
                    .Select(s => (s.Network, Length(s.Mask), s.NextHop))];
            }
        }
    }

    public bool HasRouteTo(string ipAddress)
    {
        lock (Gate)
        {
            return RouteFor(ipAddress) is not null;
        }
    }

    internal IosXeSwitchProfile Profile { get; }

    internal TimeProvider Time { get; }

    internal Lock Gate { get; } = new();

    internal IosXeConfig Running { get; private set; }

    internal IosXeConfig Saved { get; private set; }

    internal RSA? Key { get; private set; }

    internal string? KeyName { get; private set; }

    internal DateTimeOffset KeyGeneratedAt { get; private set; }

    internal DateTimeOffset BootedAt { get; private set; }

    internal bool SshEnabled => Key is not null;

    internal bool Dirty => !string.Equals(Running.Render(Profile.Version), Saved.Render(Profile.Version), StringComparison.Ordinal);

    internal IReadOnlyList<IosXeCliSession> Sessions => _sessions;

    /// <summary>Opens a CLI session; the caller (the lab's VTY shim) has already authenticated the user.</summary>
    /// <exception cref="InvalidOperationException">The switch is not up.</exception>
    public IosXeCliSession OpenSession(string clientAddress, int clientPort, int serverPort = 22)
    {
        lock (Gate)
        {
            if (_power != IosXePower.Up)
            {
                throw new InvalidOperationException($"{Name} is {_power.ToString().ToLowerInvariant()}");
            }

            var s = new IosXeCliSession(this, clientAddress, clientPort, serverPort, _nextTty++);
            _sessions.Add(s);
            return s;
        }
    }

    /// <summary>What the switch's SSH server saw of a connection attempt: "debug ip ssh" subscribers get its lines.</summary>
    public void ReportSshConnectionAttempt(string clientAddress, int clientPort, bool succeeded)
    {
        List<(IosXeCliSession, string)> deliveries;
        lock (Gate)
        {
            if (_power != IosXePower.Up || !SshEnabled)
            {
                return;
            }

            var stamp = Stamp();
            var lines = new List<string>
            {
                $"{stamp}: SSH0: starting SSH control process",
                $"{stamp}: SSH0: sent protocol version id SSH-2.0-Cisco-1.25",
                $"{stamp}: SSH0: protocol version id is - SSH-2.0-OpenSSH_9.2p1",
                $"{stamp}: SSH2 0: SSH2_MSG_KEXINIT sent",
                $"{stamp}: SSH2 0: SSH2_MSG_KEXINIT received",
            };
            if (succeeded)
            {
                lines.Add($"{stamp}: %SSH-5-SSH2_SESSION: SSH2 Session request from {clientAddress} (tty = 0) using crypto cipher 'aes256-gcm', hmac 'hmac-sha2-256' Succeeded");
            }

            deliveries = _sessions.Where(s => s.Monitor && s.SshDebug).SelectMany(s => lines.Select(l => (s, l))).ToList();
        }

        foreach (var (s, l) in deliveries)
        {
            s.Async(l);
        }
    }

    public void PowerOff()
    {
        List<IosXeCliSession> dropped;
        lock (Gate)
        {
            _bootTimer?.Dispose();
            _power = IosXePower.Off;
            dropped = [.. _sessions];
            _sessions.Clear();
        }

        foreach (var s in dropped)
        {
            s.Drop("power off");
        }

        StateChanged?.Invoke(this, EventArgs.Empty);
    }

    public void PowerOn()
    {
        lock (Gate)
        {
            if (_power != IosXePower.Off)
            {
                return;
            }

            StartBoot();
        }

        StateChanged?.Invoke(this, EventArgs.Empty);
    }

    internal void Detach(IosXeCliSession session)
    {
        lock (Gate)
        {
            _sessions.Remove(session);
        }
    }

    /// <summary>"reload" confirmed: every session drops, the switch is down for its boot time and comes back from startup-config.</summary>
    internal void Reload()
    {
        List<IosXeCliSession> dropped;
        lock (Gate)
        {
            dropped = [.. _sessions];
            _sessions.Clear();
            StartBoot();
        }

        foreach (var s in dropped)
        {
            s.Drop("reload");
        }

        StateChanged?.Invoke(this, EventArgs.Empty);
    }

    internal void Save() => Saved = Running.Clone();

    internal void GenerateKey(int bits)
    {
        Key?.Dispose();
        Key = RSA.Create(bits);
        KeyName = Running.Hostname + "." + Running.DomainName;
        KeyGeneratedAt = Time.GetUtcNow();
    }

    internal void ZeroizeKey()
    {
        Key?.Dispose();
        Key = null;
        KeyName = null;
    }

    internal bool NeighbourAlive(string ip) => ip == Running.Address || _alive(ip);

    internal string? NeighbourMac(string ip) => Profile.Neighbours.FirstOrDefault(n => n.Address == ip)?.Mac;

    /// <summary>The route IOS would use: connected subnet first, then the longest static prefix.</summary>
    internal (string Network, int Length, string? NextHop)? RouteFor(string ip)
    {
        // A shut interface takes its connected route with it, and every static resolved through it.
        if (!IPAddress.TryParse(ip, out var dst) || dst.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || Running.InterfaceShutdown)
        {
            return null;
        }

        var mask = Length(Running.Mask);
        if (SameNet(dst, Running.Address, mask))
        {
            return (Running.Address, mask, null);
        }

        return Running.Statics
            .Select(s => (s.Network, Length: Length(s.Mask), NextHop: (string?)s.NextHop))
            .Where(s => SameNet(dst, s.Network, s.Length))
            .OrderByDescending(s => s.Length)
            .Select(s => ((string, int, string?)?)s)
            .FirstOrDefault();
    }

    /// <summary>Whether "interface <paramref name="typed"/>" names the management interface, as IOS abbreviates it ("gi0/0", "Gig0/0").</summary>
    internal bool IsManagementInterface(string typed)
    {
        static (string Kind, string Number) Split(string name)
        {
            var i = 0;
            while (i < name.Length && char.IsLetter(name[i]))
            {
                i++;
            }

            return (name[..i], name[i..]);
        }

        var (kind, number) = Split(typed);
        var (ownKind, ownNumber) = Split(Running.Interface);
        return kind.Length > 0 && number.Length > 0 && number == ownNumber && ownKind.StartsWith(kind, StringComparison.OrdinalIgnoreCase);
    }

    internal bool AclPermits(string? acl, string client)
    {
        if (acl is null || !Running.Acls.TryGetValue(acl, out var a))
        {
            return true; // IOS: an access-class naming a missing ACL permits
        }

        var ip = U(IPAddress.Parse(client));
        foreach (var l in a.Lines)
        {
            var care = ~U(IPAddress.Parse(l.Wildcard));
            if ((ip & care) == (U(IPAddress.Parse(l.Network)) & care))
            {
                return l.Permit;
            }
        }

        return false;
    }

    /// <summary>"*Dec  6 01:02:03.451" ('*': the clock is not NTP-synchronised, as on a lab switch).</summary>
    internal string Stamp()
    {
        var t = Time.GetUtcNow();
        return "*" + t.ToString("MMM", CultureInfo.InvariantCulture) + " " + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2) + " " + t.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
    }

    internal static int Length(string mask) => System.Numerics.BitOperations.PopCount(U(IPAddress.Parse(mask)));

    internal static uint U(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
    }

    private static bool SameNet(IPAddress dst, string network, int length)
    {
        var m = length == 0 ? 0u : uint.MaxValue << (32 - length);
        return (U(dst) & m) == (U(IPAddress.Parse(network)) & m);
    }

    private void StartBoot()
    {
        _power = IosXePower.Rebooting;
        _bootTimer?.Dispose();
        _bootTimer = Time.CreateTimer(_ => Booted(), null, Profile.BootTime, Timeout.InfiniteTimeSpan);
    }

    private void Booted()
    {
        lock (Gate)
        {
            if (_power != IosXePower.Rebooting)
            {
                return;
            }

            Running = Saved.Clone();
            BootedAt = Time.GetUtcNow();
            _sshListenerStuck = false;
            _power = IosXePower.Up;
        }

        StateChanged?.Invoke(this, EventArgs.Empty);
    }
}
