using System.Globalization;

namespace NetOpsBot.Lab.Emulator;

internal sealed record NeighborView(string Name, PowerState Power, IReadOnlyList<InterfaceProfile> Interfaces, IReadOnlyList<Route> Routes);

internal sealed record LoginRecord(DateTimeOffset Time, string Address, SessionTransport Transport);

/// <summary>
/// One simulated switch shared by all of its sessions. Every field is guarded by <see cref="Gate"/>; events and
/// session callbacks are always invoked after the lock is released so a slow subscriber cannot stall the device.
/// </summary>
public sealed class VrpDevice
{
    internal const int MaxVtyUsers = 5;

    private readonly List<VrpSession> _sessions = [];
    private PowerState _power;
    private int? _stuckPort;
    private ITimer? _bootTimer;
    private string _lastSignature;
    private int _keyGeneration;

    internal VrpDevice(DeviceProfile profile, VrpNetwork network)
    {
        Profile = profile;
        Network = network;
        Name = profile.Name;
        Running = VrpConfig.FromProfile(profile);
        Saved = Running.Clone();
        _stuckPort = profile.Ssh.StuckListenerPort;
        _power = profile.PoweredOn ? PowerState.Up : PowerState.Off;
        BootedAt = Time.GetUtcNow();
        if (profile.RsaKeyPresent)
        {
            Key = RsaKey.Generate(profile.Name, _keyGeneration, profile.RsaKeyBits, BootedAt);
        }

        _lastSignature = Signature();
    }

    /// <summary>The lab identity from the profile; `sysname` changes the prompt but not this name.</summary>
    public string Name { get; }

    public PowerState Power
    {
        get
        {
            lock (Gate)
            {
                return _power;
            }
        }
    }

    public IReadOnlySet<int> ListeningTcpPorts
    {
        get
        {
            lock (Gate)
            {
                return ListenersLocked();
            }
        }
    }

    public bool SshHostKeyPresent
    {
        get
        {
            lock (Gate)
            {
                return Key is not null;
            }
        }
    }

    public string? RsaPublicKeyFingerprint
    {
        get
        {
            lock (Gate)
            {
                return Key?.Fingerprint;
            }
        }
    }

    /// <summary>The static routes VRP holds active (next hop on an up, addressed interface): what a real IP stack forwards by.</summary>
    public IReadOnlyList<(string Prefix, int PrefixLength, string NextHop)> ActiveStaticRoutes
    {
        get
        {
            lock (Gate)
            {
                return _power != PowerState.Up
                    ? []
                    : [.. Routing.Compute(Running).Where(r => r.Protocol == "Static").Select(r => (Ip.Format(r.Destination), r.PrefixLength, Ip.Format(r.NextHop)))];
            }
        }
    }

    /// <summary>
    /// An interface's admin state and its inbound packet filter as (source, prefix length, permit)
    /// rules in ACL order; null when the device has no such interface.
    /// </summary>
    public (bool Up, IReadOnlyList<(string Source, int PrefixLength, bool Permit)> InboundFilter)? InterfaceState(string name)
    {
        lock (Gate)
        {
            var i = Running.Interfaces.FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase));
            if (i is null)
            {
                return null;
            }

            var rules = i.TrafficFilterInbound is { } n && Running.Acls.TryGetValue(n, out var acl)
                ? acl.Select(r => (r.Source is { } src ? Ip.Format(src) : "0.0.0.0", r.Source is null ? 0 : 32 - System.Numerics.BitOperations.PopCount(r.Wildcard ?? 0u), r.Permit)).ToList()
                : [];
            return (i.Up, rules);
        }
    }

    public event EventHandler? StateChanged;

    internal Lock Gate { get; } = new();

    internal DeviceProfile Profile { get; }

    internal VrpNetwork Network { get; }

    internal TimeProvider Time => Network.Time;

    internal VrpConfig Running { get; private set; }

    internal VrpConfig Saved { get; private set; }

    internal RsaKey? Key { get; private set; }

    internal DateTimeOffset BootedAt { get; private set; }

    internal LoginRecord? LastLogin { get; private set; }

    internal int? StuckPort => _stuckPort;

    /// <summary>Longest-prefix match over direct and static routes; a device that is not up routes nothing.</summary>
    public bool HasRouteTo(string ipAddress)
    {
        if (!Ip.TryParse(ipAddress, out var address))
        {
            return false;
        }

        lock (Gate)
        {
            return _power == PowerState.Up && Routing.Lookup(Routing.Compute(Running), address) is not null;
        }
    }

    public VrpSession OpenSession(SessionOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return new VrpSession(this, origin);
    }

    public void ReportSshConnectionAttempt(SshConnectionAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        List<VrpSession> targets;
        string host;
        bool keyPresent;
        lock (Gate)
        {
            // A connect to a port nobody listens on is reset by TCP and never reaches the SSH module (reference incident: zero logs).
            if (_power != PowerState.Up || !ListenersLocked().Contains(attempt.ServerPort))
            {
                return;
            }

            targets = [.. _sessions];
            host = Running.SysName;
            keyPresent = Key is not null;
        }

        var now = Time.GetUtcNow();
        var messages = SshDebug.Messages(attempt, keyPresent);
        foreach (var s in targets)
        {
            s.WriteDebug(host, now, messages);
        }
    }

    public void PowerOff()
    {
        List<VrpSession> victims;
        lock (Gate)
        {
            _power = PowerState.Off;
            _bootTimer?.Dispose();
            _bootTimer = null;
            victims = [.. _sessions];
            _sessions.Clear();
        }

        foreach (var s in victims)
        {
            s.CloseFromDevice("power-off");
        }

        NotifyStateChanged();
    }

    public void PowerOn()
    {
        lock (Gate)
        {
            if (_power != PowerState.Off)
            {
                return;
            }

            StartBootLocked();
        }

        NotifyStateChanged();
    }

    /// <summary>Moves to Rebooting and hands back the sessions the caller must close (outside the lock).</summary>
    internal List<VrpSession> BeginReboot()
    {
        lock (Gate)
        {
            if (_power != PowerState.Up)
            {
                return [];
            }

            StartBootLocked();
            var victims = _sessions.ToList();
            _sessions.Clear();
            return victims;
        }
    }

    private void StartBootLocked()
    {
        _power = PowerState.Rebooting;
        _bootTimer?.Dispose();
        _bootTimer = Time.CreateTimer(_ => CompleteBoot(), null, Profile.BootTime, Timeout.InfiniteTimeSpan);
    }

    private void CompleteBoot()
    {
        lock (Gate)
        {
            if (_power != PowerState.Rebooting)
            {
                return;
            }

            // A reboot is the only thing that clears the ghost listener: sockets are re-bound from the saved file.
            _power = PowerState.Up;
            Running = Saved.Clone();
            _stuckPort = null;
            BootedAt = Time.GetUtcNow();
            _bootTimer?.Dispose();
            _bootTimer = null;
        }

        NotifyStateChanged();
    }

    internal enum Admission
    {
        Admitted,
        NotUp,
        Protocol,
        Acl,
        Limit,
    }

    internal (Admission Result, int VtyIndex, int VtyUsers, LoginRecord? Previous) Admit(VrpSession session, SessionOrigin origin)
    {
        lock (Gate)
        {
            if (_power != PowerState.Up)
            {
                return (Admission.NotUp, 0, 0, null);
            }

            var vtyUsers = _sessions.Count(s => s.IsVty);
            if (origin.Transport != SessionTransport.Console)
            {
                var allowed = Running.VtyProtocol switch
                {
                    "all" => true,
                    "telnet" => origin.Transport == SessionTransport.Telnet,
                    _ => origin.Transport == SessionTransport.Ssh,
                };
                if (!allowed)
                {
                    return (Admission.Protocol, 0, vtyUsers, null);
                }

                if (!AclPermitsLocked(Running.VtyAcl, origin.ClientAddress))
                {
                    return (Admission.Acl, 0, vtyUsers, null);
                }

                if (vtyUsers >= MaxVtyUsers)
                {
                    return (Admission.Limit, 0, vtyUsers, null);
                }
            }

            var used = _sessions.Where(s => s.IsVty).Select(s => s.VtyIndex).ToHashSet();
            var index = Enumerable.Range(0, MaxVtyUsers).FirstOrDefault(i => !used.Contains(i));
            _sessions.Add(session);
            var previous = LastLogin;
            LastLogin = new LoginRecord(Time.GetUtcNow(), origin.ClientAddress, origin.Transport);
            return (Admission.Admitted, index, vtyUsers + (origin.Transport == SessionTransport.Console ? 0 : 1), previous);
        }
    }

    /// <summary>User-interface ACLs: first matching rule wins; a configured ACL with rules denies what no rule matches; a missing or empty ACL permits.</summary>
    private bool AclPermitsLocked(int? aclNumber, string client)
    {
        if (aclNumber is not { } n || !Running.Acls.TryGetValue(n, out var rules) || rules.Count == 0)
        {
            return true;
        }

        if (!Ip.TryParse(client, out var address))
        {
            return false;
        }

        foreach (var r in rules.OrderBy(r => r.Id))
        {
            if (r.Source is not { } src || (address & ~(r.Wildcard ?? 0)) == (src & ~(r.Wildcard ?? 0)))
            {
                return r.Permit;
            }
        }

        return false;
    }

    internal void Unregister(VrpSession session)
    {
        lock (Gate)
        {
            _sessions.Remove(session);
        }
    }

    internal List<VrpSession> SessionsLocked() => [.. _sessions];

    internal HashSet<int> ListenersLocked()
    {
        var ports = new HashSet<int>();
        if (_power != PowerState.Up)
        {
            return ports;
        }

        if (_stuckPort is { } stuck)
        {
            ports.Add(stuck);
        }
        else if (Running.Stelnet)
        {
            ports.Add(Running.SshPort);
        }

        if (Running.Telnet)
        {
            ports.Add(23);
        }

        return ports;
    }

    internal void CreateKeyLocked(int bits)
    {
        _keyGeneration++;
        Key = RsaKey.Generate(Profile.Name, _keyGeneration, bits, Time.GetUtcNow());
    }

    internal void DestroyKeyLocked() => Key = null;

    internal void SaveLocked() => Saved = Running.Clone();

    internal NeighborView Snapshot()
    {
        lock (Gate)
        {
            return new NeighborView(Name, _power, [.. Running.Interfaces], Routing.Compute(Running));
        }
    }

    private string Signature()
    {
        var routes = _power == PowerState.Up
            ? string.Join(';', Routing.Compute(Running).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Destination}/{r.PrefixLength}>{r.NextHop}")))
            : string.Empty;
        // The management interface's admin state and packet filter change what the kernel must do (link, policy rules).
        var interfaces = string.Join(';', Running.Interfaces.Select(i => string.Create(CultureInfo.InvariantCulture, $"{i.Name}:{i.Up}:{i.TrafficFilterInbound}")));
        var acls = string.Join(';', Running.Acls.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Key}:{string.Join(',', a.Value.Select(r => $"{r.Id}{r.Permit}{r.Source}/{r.Wildcard}"))}")));
        return string.Join('|', _power, string.Join(',', ListenersLocked().Order()), Key?.Fingerprint, routes, interfaces, acls);
    }

    /// <summary>Raises <see cref="StateChanged"/> when anything the runner watches differs from the last notification.</summary>
    internal void NotifyStateChanged()
    {
        bool changed;
        lock (Gate)
        {
            var sig = Signature();
            changed = sig != _lastSignature;
            _lastSignature = sig;
        }

        if (changed)
        {
            StateChanged?.Invoke(this, EventArgs.Empty);
        }
    }
}
