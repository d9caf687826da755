namespace NetOpsBot.Lab.Emulator;

/// <summary>All devices of one lab, so ping and ARP on one device can see the others' current state.</summary>
public sealed class VrpNetwork
{
    private readonly Lock _gate = new();
    private readonly List<VrpDevice> _devices = [];

    public VrpNetwork(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
    }

    public TimeProvider Time { get; }

    /// <summary>Addresses of management hosts (outside every device) that answer ping when a device has a route to them.</summary>
    public IReadOnlyList<string> ManagementSubnetClients { get; init; } = [];

    /// <summary>The real IP stack behind the devices, when there is one; ARP, ping and TCP sockets are then read from it.</summary>
    public IPhysicalNetwork? Physical { get; set; }

    public IReadOnlyList<VrpDevice> Devices
    {
        get
        {
            lock (_gate)
            {
                return [.. _devices];
            }
        }
    }

    public VrpDevice Add(DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        lock (_gate)
        {
            if (_devices.Any(d => string.Equals(d.Name, profile.Name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new ArgumentException($"A device named '{profile.Name}' already exists.", nameof(profile));
            }

            var device = new VrpDevice(profile, this);
            _devices.Add(device);
            return device;
        }
    }

    public VrpDevice? Find(string name)
    {
        lock (_gate)
        {
            return _devices.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));
        }
    }
}
