namespace NetOpsBot.Core.Devices;

/// <summary>Looks devices up by validated name (the runner needs the gateway's entry).</summary>
public interface IDeviceInventory
{
    /// <returns>The entry, or null when the name is not in the inventory.</returns>
    Task<DeviceRef?> FindAsync(DeviceName name, CancellationToken cancellationToken);

    /// <summary>Every entry (for <see cref="DeviceLookup"/>: case-insensitive names, management IPs, suggestions); empty when the inventory cannot list.</summary>
    Task<IReadOnlyList<DeviceRef>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<DeviceRef>>([]);
}
