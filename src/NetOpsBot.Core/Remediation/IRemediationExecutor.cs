using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Remediation;

/// <summary>How an approved plan is carried out.</summary>
public sealed record ExecutionOptions
{
    /// <summary>Save the running configuration before a reboot (VRP asks; the card says which answer the bot gives).</summary>
    public bool SaveBeforeReboot { get; init; } = true;

    private readonly TimeSpan? _recoveryDeadline;

    /// <summary>Recovery deadline when none is configured (a device expected to need more gets more).</summary>
    public static readonly TimeSpan DefaultRecoveryDeadline = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long a rebooting device may take to answer on its SSH port again. Left unset: 15 min, stretched per
    /// device by <see cref="Devices.BootTimes.RecoveryDeadline"/> when its expected boot time needs more; set:
    /// exactly this, for every device (an operator's decision, or a test's).
    /// </summary>
    public TimeSpan RecoveryDeadline
    {
        get => _recoveryDeadline ?? DefaultRecoveryDeadline;
        init => _recoveryDeadline = value;
    }

    /// <summary>True when <see cref="RecoveryDeadline"/> was not set, so each device's expected boot time may stretch it.</summary>
    public bool DeadlineFollowsBootTime => _recoveryDeadline is null;

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the thread hears "still down after …" while a device reboots (not every probe); zero: never.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>Receives each thing the executor does, in order, for the incident timeline and thread.</summary>
public interface IExecutionObserver
{
    /// <param name="summary">One line for people.</param>
    /// <param name="detailJson">Optional JSON with the exact command and output.</param>
    void Progress(string summary, string? detailJson);
}

public sealed record ExecutedCommand(string Command, string Output, string? ErrorLine, TimeSpan Duration);

/// <summary>Watching a device come back after a reboot.</summary>
public sealed record RecoveryResult(bool WentDown, bool CameBack, TimeSpan Downtime, bool SshPortListening, bool SshLoginWorks, string Summary);

/// <param name="Succeeded">Every command was applied without an error (for a reboot: the device came back and SSH works).</param>
/// <param name="Verified">The read-back shows the effect the fix was for, not merely the configuration line.</param>
public sealed record ExecutionResult(
    bool Succeeded,
    string Summary,
    IReadOnlyList<ExecutedCommand> Commands,
    bool Verified,
    string VerificationEvidence,
    RecoveryResult? Recovery)
{
    /// <summary>
    /// Set when the commands were applied but the read-back shows they took no effect: what a person does next
    /// (e.g. "the listener is stuck …; a reboot re-binds it"). Null when verified, failed, or nothing was read back.
    /// </summary>
    public string? NextStep { get; init; }

    /// <summary>Applied, yet the read-back shows no effect: neither "done" nor "failed" is the truth.</summary>
    public bool AppliedNotEffective => Succeeded && !Verified && NextStep is not null;
}

/// <summary>
/// Runs an APPROVED remediation plan on a device. Only the plan's bound commands are sent; the
/// executor answers the device's questions as the plan says, verifies config changes by reading the
/// changed state back, and for a reboot watches the device go down and come back.
/// </summary>
public interface IRemediationExecutor
{
    Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken);

    /// <summary>
    /// Lines of the running configuration that differ from the saved one ("not saved: line", "only in
    /// saved: line"): what a reboot saves first, or loses. Read-only.
    /// </summary>
    Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken);

    /// <summary>Resumes watching a device whose reboot was sent by a host that then stopped.</summary>
    Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken);
}
