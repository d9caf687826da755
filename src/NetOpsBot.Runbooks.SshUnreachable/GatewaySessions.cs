using System.Collections.Concurrent;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// One CLI session per gateway, used in turn by the gateway steps of every diagnosis and closed after
/// <see cref="SshUnreachableOptions.GatewaySessionIdle"/> without use. Every access switch behind an
/// aggregation switch names it as gateway, so a burst of diagnoses (an outage) otherwise logs in to the
/// same aggregation switch once per diagnosis: measured with 50 diagnoses at once, half of the machine's
/// CPU went to those logins, and a real switch would log them as a login storm.
/// </summary>
internal sealed class GatewaySessions(IDeviceAccess access, TimeProvider time, TimeSpan idle)
{
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> on the gateway's session (opened when there is none; fresh = just opened).</summary>
    /// <exception cref="DeviceAccessException">The session could not be opened.</exception>
    public async Task<T> UseAsync<T>(DeviceRef gateway, Func<IDeviceCliSession, bool, Task<T>> work, CancellationToken cancellationToken)
    {
        var slot = _slots.GetOrAdd(gateway.Name.Value, _ => new Slot());
        await slot.Turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (slot.Session is not null)
            {
                try
                {
                    return await RunAsync(slot, work, fresh: false).ConfigureAwait(false);
                }
                catch (DeviceAccessException)
                {
                    // The kept session died while idle (the gateway closed it): once more on a new one.
                }
            }

            slot.Session = await access.OpenCliAsync(gateway, AccessPath.Ssh(gateway.SshPort), cancellationToken).ConfigureAwait(false);
            return await RunAsync(slot, work, fresh: true).ConfigureAwait(false);
        }
        finally
        {
            if (slot.Session is not null)
            {
                slot.IdleTimer?.Dispose();
                slot.IdleTimer = time.CreateTimer(_ => _ = CloseIfIdleAsync(slot), null, idle, Timeout.InfiniteTimeSpan);
            }

            slot.Turn.Release();
        }
    }

    private async Task<T> RunAsync<T>(Slot slot, Func<IDeviceCliSession, bool, Task<T>> work, bool fresh)
    {
        var ok = false;
        try
        {
            var result = await work(slot.Session!, fresh).ConfigureAwait(false);
            ok = true;
            return result;
        }
        finally
        {
            // After a timeout or any failure the session's state is unknown: the next user gets a new one.
            if (!ok || idle <= TimeSpan.Zero)
            {
                await CloseAsync(slot).ConfigureAwait(false);
            }
        }
    }

    private static async Task CloseIfIdleAsync(Slot slot)
    {
        // In use right now: its user starts a new idle timer when done.
        if (!await slot.Turn.WaitAsync(0).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await CloseAsync(slot).ConfigureAwait(false);
        }
        finally
        {
            slot.Turn.Release();
        }
    }

    private static async Task CloseAsync(Slot slot)
    {
        slot.IdleTimer?.Dispose();
        slot.IdleTimer = null;
        if (slot.Session is { } session)
        {
            slot.Session = null;
            await DiagnosisRunner.DisposeQuietlyAsync(session).ConfigureAwait(false);
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Turn { get; } = new(1, 1);

        public IDeviceCliSession? Session { get; set; }

        public ITimer? IdleTimer { get; set; }
    }
}
