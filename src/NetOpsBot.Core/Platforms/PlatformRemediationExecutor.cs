using System.Collections.Concurrent;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Core.Platforms;

/// <summary>What a platform's remediation executor is built from: the connector's probes and logins, the session opener, the clock.</summary>
/// <param name="Access">Probes the SSH port and opens the post-reboot login check (always SSH through the jump host).</param>
/// <param name="OpenSession">Opens the session an approved plan runs on (any access path the Host chooses), paging already off.</param>
/// <param name="Time">Clock for probe intervals, deadlines and durations.</param>
public sealed record RemediationExecutorContext(IDeviceAccess Access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> OpenSession, TimeProvider Time);

/// <summary>
/// The Host's one <see cref="IRemediationExecutor"/>: hands each device to the executor of its platform
/// (<see cref="DeviceRef.Platform"/>), so an approved plan is always carried out in the device's own CLI. A device
/// of a platform without an executor gets a failed result; nothing is sent to it.
/// </summary>
public sealed class PlatformRemediationExecutor : IRemediationExecutor
{
    private readonly DevicePlatforms platforms;
    private readonly RemediationExecutorContext context;
    private readonly ConcurrentDictionary<IDevicePlatform, IRemediationExecutor?> executors = new();

    public PlatformRemediationExecutor(DevicePlatforms platforms, RemediationExecutorContext context)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        ArgumentNullException.ThrowIfNull(context);
        this.platforms = platforms;
        this.context = context;
    }

    public Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(plan);
        if (For(device) is { } executor)
        {
            return executor.ExecuteAsync(device, plan, options, observer, cancellationToken);
        }

        var why = $"{device.Name}: {plan.Id} not carried out: {Missing(device)}; nothing was sent";
        return Task.FromResult(new ExecutionResult(false, why, [], false, string.Empty, null));
    }

    public Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return For(device) is { } executor
            ? executor.UnsavedChangesAsync(device, cancellationToken)
            : throw new NotSupportedException(Missing(device));
    }

    public Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        return For(device) is { } executor
            ? executor.WatchRecoveryAsync(device, options, observer, cancellationToken)
            : Task.FromResult(new RecoveryResult(false, false, TimeSpan.Zero, false, false, $"{device.Name}: recovery not watched: {Missing(device)}"));
    }

    private IRemediationExecutor? For(DeviceRef device) =>
        platforms.Find(device.Platform) is { } platform ? executors.GetOrAdd(platform, p => p.CreateRemediationExecutor(context)) : null;

    private string Missing(DeviceRef device) => platforms.Find(device.Platform) is null
        ? $"the inventory's platform '{device.Platform}' is not one this build speaks"
        : $"platform '{device.Platform}' has no remediation executor";
}
