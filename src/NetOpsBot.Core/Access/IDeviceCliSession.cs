namespace NetOpsBot.Core.Access;

/// <summary>
/// An interactive CLI on one device (SSH channel through the jump host, or the console server).
/// One session per device at a time: devices have few VTY lines, so callers run commands sequentially.
/// </summary>
public interface IDeviceCliSession : IAsyncDisposable
{
    /// <summary>The hostname learned from the prompt at login.</summary>
    string Hostname { get; }

    /// <summary>
    /// Sends one command and waits for the next prompt.
    /// SECURITY: <paramref name="command"/> must come only from a runbook constant or a rendered
    /// <c>CommandTemplate</c> (validated, typed parameters); chat text must never reach this method.
    /// </summary>
    /// <param name="timeout">Upper bound for this command; the implementation gives up and throws <see cref="TimeoutException"/> after it.</param>
    /// <exception cref="TimeoutException">No prompt within <paramref name="timeout"/>.</exception>
    /// <exception cref="DeviceAccessException">The session dropped.</exception>
    Task<CliResult> RunAsync(string command, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>
    /// Waits for <paramref name="window"/> and returns the asynchronous log/debug lines (terminal monitor)
    /// that arrived since the last command, including those already buffered.
    /// </summary>
    Task<string> CollectAsyncLinesAsync(TimeSpan window, CancellationToken cancellationToken);
}
