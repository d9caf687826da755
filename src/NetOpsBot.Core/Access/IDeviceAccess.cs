using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Access;

/// <summary>Reaches devices through the jump host (or the console server). Implemented by NetOpsBot.Ssh.</summary>
public interface IDeviceAccess
{
    /// <summary>
    /// A TCP connect to <paramref name="port"/> on the device's management address, from the jump host.
    /// Expected outcomes (refused, timeout, jump host down) are values, not exceptions.
    /// </summary>
    Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Opens a CLI session with paging still on; the caller sends <c>screen-length 0 temporary</c>.</summary>
    /// <exception cref="DeviceAccessException">With a typed <see cref="DeviceAccessException.Reason"/>.</exception>
    Task<IDeviceCliSession> OpenCliAsync(DeviceRef device, AccessPath path, CancellationToken cancellationToken);
}
